using HuiHui.Modules.Shared.Contracts;
using MathNet.Numerics;

namespace HuiHui.Modules.Shared.Pricing;

/// <summary>
/// Black-Scholes-Merton with a continuous dividend yield. Spot and strike in currency, <c>years</c> of calendar time,
/// rate, dividend yield and volatility as decimals per year. Formulas: docs/metrics.md.
/// </summary>
internal static class BlackScholes
{
    /// <summary>Standard normal cumulative distribution, via the complementary error function (accurate in both tails).</summary>
    public static double NormalCdf(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2));

    public static double Price(OptionRight right, double spot, double strike, double years, double rate, double dividend, double vol)
    {
        if (years <= 0 || vol <= 0)
        {
            var forwardIntrinsic = right == OptionRight.Call ? spot * Math.Exp(-dividend * Math.Max(years, 0)) - strike * Math.Exp(-rate * Math.Max(years, 0)) : strike * Math.Exp(-rate * Math.Max(years, 0)) - spot * Math.Exp(-dividend * Math.Max(years, 0));
            return Math.Max(forwardIntrinsic, 0);
        }

        var (d1, d2) = D1D2(spot, strike, years, rate, dividend, vol);
        var discountedSpot = spot * Math.Exp(-dividend * years);
        var discountedStrike = strike * Math.Exp(-rate * years);
        return right == OptionRight.Call
            ? discountedSpot * NormalCdf(d1) - discountedStrike * NormalCdf(d2)
            : discountedStrike * NormalCdf(-d2) - discountedSpot * NormalCdf(-d1);
    }

    public static double Delta(OptionRight right, double spot, double strike, double years, double rate, double dividend, double vol)
    {
        if (years <= 0 || vol <= 0)
        {
            var inTheMoney = right == OptionRight.Call ? spot > strike : spot < strike;
            return inTheMoney ? (right == OptionRight.Call ? 1 : -1) : 0;
        }

        var (d1, _) = D1D2(spot, strike, years, rate, dividend, vol);
        var carry = Math.Exp(-dividend * years);
        return right == OptionRight.Call ? carry * NormalCdf(d1) : carry * (NormalCdf(d1) - 1);
    }

    private static (double D1, double D2) D1D2(double spot, double strike, double years, double rate, double dividend, double vol)
    {
        var sqrtT = Math.Sqrt(years);
        var d1 = (Math.Log(spot / strike) + (rate - dividend + 0.5 * vol * vol) * years) / (vol * sqrtT);
        return (d1, d1 - vol * sqrtT);
    }
}
