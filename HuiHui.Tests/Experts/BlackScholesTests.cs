using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Pricing;

namespace HuiHui.Tests.Experts;

public sealed class BlackScholesTests
{
    private static readonly double[] Spots = [60, 95, 100, 104, 160];
    private static readonly double[] Years = [2.0 / 365, 0.1, 0.5, 2];
    private static readonly double[] Vols = [0.08, 0.25, 0.9];

    [Test]
    public void Prices_MatchHullsTextbookExamples()
    {
        // Hull, Options, Futures and Other Derivatives, example 15.6: S=42, K=40, r=10 %, σ=20 %, T=0.5.
        Assert.That(BlackScholes.Price(OptionRight.Call, 42, 40, 0.5, 0.10, 0, 0.2), Is.EqualTo(4.76).Within(0.005));
        Assert.That(BlackScholes.Price(OptionRight.Put, 42, 40, 0.5, 0.10, 0, 0.2), Is.EqualTo(0.81).Within(0.005));

        // Hull's greeks example (chapter 19): S=49, K=50, r=5 %, σ=20 %, T=20 weeks.
        var g = BlackScholes.Greeks(OptionRight.Call, 49, 50, 0.3846, 0.05, 0, 0.2);
        Assert.That(g.Price, Is.EqualTo(2.40).Within(0.01));
        Assert.That(g.Delta, Is.EqualTo(0.522).Within(0.001));
        Assert.That(g.Gamma, Is.EqualTo(0.066).Within(0.001));
        Assert.That(g.Vega, Is.EqualTo(12.1).Within(0.05));
        Assert.That(g.Theta, Is.EqualTo(-4.31).Within(0.01));
        Assert.That(g.Rho, Is.EqualTo(8.91).Within(0.01));
    }

    [Test]
    public void Greeks_AgreeWithFiniteDifferencesOfThePrice()
    {
        foreach (var right in new[] { OptionRight.Call, OptionRight.Put })
        foreach (var spot in Spots)
        foreach (var years in Years)
        foreach (var vol in Vols)
        {
            const double K = 100, R = 0.03, Q = 0.015;
            double P(double s = double.NaN, double t = double.NaN, double r = double.NaN, double v = double.NaN) =>
                BlackScholes.Price(right, double.IsNaN(s) ? spot : s, K, double.IsNaN(t) ? years : t, double.IsNaN(r) ? R : r, Q, double.IsNaN(v) ? vol : v);
            double D(double s = double.NaN, double t = double.NaN, double v = double.NaN) =>
                BlackScholes.Greeks(right, double.IsNaN(s) ? spot : s, K, double.IsNaN(t) ? years : t, R, Q, double.IsNaN(v) ? vol : v).Delta;

            var g = BlackScholes.Greeks(right, spot, K, years, R, Q, vol);
            var hs = spot * 1e-4;
            var ht = years * 1e-4;
            var hv = 1e-4;
            var what = $"{right} S={spot} T={years} σ={vol}";

            Assert.That(g.Price, Is.EqualTo(P()).Within(1e-12), what);
            Assert.That(g.Delta, Is.EqualTo((P(s: spot + hs) - P(s: spot - hs)) / (2 * hs)).Within(1e-6), what + " delta");
            Assert.That(g.Gamma, Is.EqualTo((P(s: spot + hs) - 2 * P() + P(s: spot - hs)) / (hs * hs)).Within(1e-4 + 1e-3 * Math.Abs(g.Gamma)), what + " gamma");
            Assert.That(g.Vega, Is.EqualTo((P(v: vol + hv) - P(v: vol - hv)) / (2 * hv)).Within(1e-5 * Math.Max(1, g.Vega)), what + " vega");
            Assert.That(g.Theta, Is.EqualTo(-(P(t: years + ht) - P(t: years - ht)) / (2 * ht)).Within(1e-4 * Math.Max(1, Math.Abs(g.Theta))), what + " theta");
            Assert.That(g.Rho, Is.EqualTo((P(r: R + 1e-5) - P(r: R - 1e-5)) / 2e-5).Within(1e-4 * Math.Max(1, Math.Abs(g.Rho))), what + " rho");
            Assert.That(g.Vanna, Is.EqualTo((D(v: vol + hv) - D(v: vol - hv)) / (2 * hv)).Within(1e-4 * Math.Max(1, Math.Abs(g.Vanna))), what + " vanna");
            Assert.That(g.Charm, Is.EqualTo(-(D(t: years + ht) - D(t: years - ht)) / (2 * ht)).Within(1e-3 * Math.Max(1, Math.Abs(g.Charm))), what + " charm");
        }
    }

    [Test]
    public void PutCallParity_Holds()
    {
        foreach (var spot in Spots)
        foreach (var years in Years)
        foreach (var vol in Vols)
        {
            var call = BlackScholes.Price(OptionRight.Call, spot, 100, years, 0.04, 0.02, vol);
            var put = BlackScholes.Price(OptionRight.Put, spot, 100, years, 0.04, 0.02, vol);

            Assert.That(call - put, Is.EqualTo(spot * Math.Exp(-0.02 * years) - 100 * Math.Exp(-0.04 * years)).Within(1e-10));
        }
    }

    [Test]
    public void ImpliedVol_RoundTripsOverAGridOfStrikesExpiriesAndVols_IncludingDeepInAndOutOfTheMoney()
    {
        var solved = 0;
        foreach (var right in new[] { OptionRight.Call, OptionRight.Put })
        foreach (var strike in new[] { 40.0, 70, 90, 100, 110, 130, 200 })
        foreach (var years in new[] { 1.0 / 365, 7.0 / 365, 0.25, 1, 3 })
        foreach (var vol in new[] { 0.05, 0.15, 0.4, 1.0, 2.5 })
        {
            var premium = BlackScholes.Price(right, 100, strike, years, 0.03, 0.01, vol);
            var (lower, _) = BlackScholes.ArbitrageBounds(right, 100, strike, years, 0.03, 0.01);
            var vega = BlackScholes.Greeks(right, 100, strike, years, 0.03, 0.01, vol).Vega;
            if (premium - lower < 1e-10 || vega < 1e-8)
            {
                continue; // the price does not depend on volatility at double precision: nothing to recover
            }

            var iv = BlackScholes.ImpliedVol(right, premium, 100, strike, years, 0.03, 0.01);

            Assert.That(iv, Is.Not.Null, $"{right} K={strike} T={years} σ={vol}");
            Assert.That(BlackScholes.Price(right, 100, strike, years, 0.03, 0.01, iv!.Value), Is.EqualTo(premium).Within(1e-9 * Math.Max(1, premium)));
            if (vega > 1e-3)
            {
                Assert.That(iv.Value, Is.EqualTo(vol).Within(1e-6), $"{right} K={strike} T={years} σ={vol}");
            }

            solved++;
        }

        Assert.That(solved, Is.GreaterThan(250), "of 350 cases; the rest are priced at intrinsic whatever the volatility");
    }

    [Test]
    public void ImpliedVol_ReportsNoSolutionOutsideTheArbitrageBounds()
    {
        Assert.That(BlackScholes.ImpliedVol(OptionRight.Call, 101, 100, 100, 1, 0.03, 0), Is.Null, "above the spot");
        Assert.That(BlackScholes.ImpliedVol(OptionRight.Call, 10, 120, 100, 1, 0, 0), Is.Null, "below intrinsic");
        Assert.That(BlackScholes.ImpliedVol(OptionRight.Put, 150, 100, 100, 1, 0, 0), Is.Null, "above the discounted strike");
        Assert.That(BlackScholes.ImpliedVol(OptionRight.Put, 5, 100, 100, 0, 0, 0), Is.Null, "expired");
    }
}
