using HuiHui.Modules.Shared.Contracts;
using MathNet.Numerics;
using MathNet.Numerics.RootFinding;

namespace HuiHui.Modules.Shared.Pricing;

/// <summary>Price and plain partial derivatives of one option (per share). Units: docs/metrics.md.</summary>
/// <param name="Price">Premium per share.</param>
/// <param name="Delta">∂V/∂S.</param>
/// <param name="Gamma">∂²V/∂S².</param>
/// <param name="Vega">∂V/∂σ, per 1.00 of volatility.</param>
/// <param name="Theta">Change in value per year of calendar time passing (−∂V/∂T).</param>
/// <param name="Rho">∂V/∂r, per 1.00 of rate.</param>
/// <param name="Vanna">∂²V/∂S∂σ.</param>
/// <param name="Charm">Change in delta per year of calendar time passing (−∂Δ/∂T).</param>
internal readonly record struct OptionGreeks(double Price, double Delta, double Gamma, double Vega, double Theta, double Rho, double Vanna, double Charm);

/// <summary>
/// Black-Scholes-Merton with a continuous dividend yield. Spot and strike in currency, <c>years</c> of calendar time,
/// rate, dividend yield and volatility as decimals per year. Formulas: docs/metrics.md.
/// </summary>
internal static class BlackScholes
{
    private const double InverseSqrtTwoPi = 0.3989422804014327;

    /// <summary>Standard normal cumulative distribution, via the complementary error function (accurate in both tails).</summary>
    public static double NormalCdf(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2));

    public static double NormalPdf(double x) => InverseSqrtTwoPi * Math.Exp(-0.5 * x * x);

    public static double Price(OptionRight right, double spot, double strike, double years, double rate, double dividend, double vol)
    {
        if (years <= 0 || vol <= 0)
        {
            return Math.Max(ForwardIntrinsic(right, spot, strike, Math.Max(years, 0), rate, dividend), 0);
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

    /// <summary>Price and every greek in one pass. At expiry (or zero vol) the greeks of the payoff: delta ±1 or 0, the rest 0.</summary>
    public static OptionGreeks Greeks(OptionRight right, double spot, double strike, double years, double rate, double dividend, double vol)
    {
        if (years <= 0 || vol <= 0)
        {
            return new OptionGreeks(Price(right, spot, strike, years, rate, dividend, vol), Delta(right, spot, strike, years, rate, dividend, vol), 0, 0, 0, 0, 0, 0);
        }

        var sqrtT = Math.Sqrt(years);
        var (d1, d2) = D1D2(spot, strike, years, rate, dividend, vol);
        var carry = Math.Exp(-dividend * years);
        var discount = Math.Exp(-rate * years);
        var pdf = NormalPdf(d1);
        var nd1 = NormalCdf(d1);
        var nd2 = NormalCdf(d2);
        var gamma = carry * pdf / (spot * vol * sqrtT);
        var vega = spot * carry * pdf * sqrtT;
        var vanna = -carry * pdf * d2 / vol;
        var decay = -spot * carry * pdf * vol / (2 * sqrtT);
        var charmCommon = carry * pdf * (2 * (rate - dividend) * years - d2 * vol * sqrtT) / (2 * years * vol * sqrtT);
        if (right == OptionRight.Call)
        {
            return new OptionGreeks(
                spot * carry * nd1 - strike * discount * nd2,
                carry * nd1,
                gamma,
                vega,
                decay - rate * strike * discount * nd2 + dividend * spot * carry * nd1,
                strike * years * discount * nd2,
                vanna,
                dividend * carry * nd1 - charmCommon);
        }

        var nMinusD1 = 1 - nd1;
        var nMinusD2 = 1 - nd2;
        return new OptionGreeks(
            strike * discount * nMinusD2 - spot * carry * nMinusD1,
            carry * (nd1 - 1),
            gamma,
            vega,
            decay + rate * strike * discount * nMinusD2 - dividend * spot * carry * nMinusD1,
            -strike * years * discount * nMinusD2,
            vanna,
            -dividend * carry * nMinusD1 - charmCommon);
    }

    /// <summary>The premiums no-arbitrage allows: [discounted forward intrinsic, discounted spot (call) or strike (put)].</summary>
    public static (double Lower, double Upper) ArbitrageBounds(OptionRight right, double spot, double strike, double years, double rate, double dividend) =>
        (Math.Max(ForwardIntrinsic(right, spot, strike, years, rate, dividend), 0),
         right == OptionRight.Call ? spot * Math.Exp(-dividend * years) : strike * Math.Exp(-rate * years));

    /// <summary>
    /// The volatility at which the model price equals <paramref name="premium"/>, by Brent's method on [1e-6, 10]
    /// (the price is increasing in volatility, so the root is unique). Null when the premium is outside the arbitrage
    /// bounds (no volatility gives it), at the lower bound itself, or the time is not positive.
    /// </summary>
    public static double? ImpliedVol(OptionRight right, double premium, double spot, double strike, double years, double rate, double dividend)
    {
        if (!(years > 0) || !(spot > 0) || !(strike > 0) || !double.IsFinite(premium))
        {
            return null;
        }

        var (lower, upper) = ArbitrageBounds(right, spot, strike, years, rate, dividend);
        const double MinVol = 1e-6;
        const double MaxVol = 10;
        if (premium <= lower || premium >= upper)
        {
            return null;
        }

        double Error(double vol) => Price(right, spot, strike, years, rate, dividend, vol) - premium;
        if (Error(MinVol) > 0 || Error(MaxVol) < 0)
        {
            return null; // within bounds but beyond what 0–1000 % volatility prices
        }

        return Brent.TryFindRoot(Error, MinVol, MaxVol, 1e-12 * Math.Max(1, premium), 200, out var vol) ? vol : null;
    }

    private static double ForwardIntrinsic(OptionRight right, double spot, double strike, double years, double rate, double dividend)
    {
        var forwardSpot = spot * Math.Exp(-dividend * years);
        var forwardStrike = strike * Math.Exp(-rate * years);
        return right == OptionRight.Call ? forwardSpot - forwardStrike : forwardStrike - forwardSpot;
    }

    private static (double D1, double D2) D1D2(double spot, double strike, double years, double rate, double dividend, double vol)
    {
        var sqrtT = Math.Sqrt(years);
        var d1 = (Math.Log(spot / strike) + (rate - dividend + 0.5 * vol * vol) * years) / (vol * sqrtT);
        return (d1, d1 - vol * sqrtT);
    }
}
