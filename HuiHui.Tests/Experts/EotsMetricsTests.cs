using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Pricing;

namespace HuiHui.Tests.Experts;

/// <summary>The exposures, the EOTS metrics, the ranked levels and the slice against hand-computed values (docs/metrics.md).</summary>
public sealed class EotsMetricsTests
{
    // Friday 2026-12-04 12:45 in New York (EST, UTC−5): half-way through the session.
    private static readonly DateTimeOffset AsOf = new(2026, 12, 4, 17, 45, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 12, 4);
    private static readonly DateOnly Expiry = new(2026, 12, 18);

    private static MetricsOptions NewOptions() => new() { RiskFreeRate = 0.04, DividendYield = 0 };

    private static MetricsCalculator Calculator(MetricsOptions? options = null) => new(Microsoft.Extensions.Options.Options.Create(options ?? NewOptions()));

    private static OptionContract Contract(OptionRight right, double strike, long oi, long volume = 0, double gamma = 0.05, double delta = 0.5, DateOnly? expiry = null, double iv = 0.2) =>
        new(OccSymbol.Format("XYZ", expiry ?? Expiry, right, strike), "XYZ", expiry ?? Expiry, strike, right, 1, 1.1, null, volume, oi, iv,
            new ProviderGreeks(delta, gamma, null, null, null), AsOf);

    private static ChainSnapshot Snapshot(double spot, IReadOnlyList<OptionContract> contracts, IReadOnlyList<Bar>? bars = null, IReadOnlyList<TradePrint>? prints = null) =>
        new("XYZ", AsOf, "test", new UnderlyingQuote("XYZ", spot, null, null, null, null, null, null, 0, AsOf), contracts, prints ?? [], bars ?? [], [], []);

    [Test]
    public void Exposures_ByOpenInterestAndByVolume_WithVegaVommaAndTheta_MatchTheFormulas()
    {
        var metrics = Calculator().Compute(Snapshot(100, [Contract(OptionRight.Call, 100, oi: 1000, volume: 250)]), [], []);

        var years = ExpiryClock.YearsTo(AsOf, Expiry);
        var reference = BlackScholes.Greeks(OptionRight.Call, 100, 100, years, 0.04, 0, 0.2);
        var h = 1e-4;
        var vomma = (BlackScholes.Greeks(OptionRight.Call, 100, 100, years, 0.04, 0, 0.2 + h).Vega - BlackScholes.Greeks(OptionRight.Call, 100, 100, years, 0.04, 0, 0.2 - h).Vega) / (2 * h);
        var e = metrics.Exposures;
        // GEX = 0.05 × 1000 × 100 × 100² × 0.01 = 500,000 per 1 %; by volume a quarter of it.
        Assert.That(e.GexTotal, Is.EqualTo(500_000).Within(1e-6));
        Assert.That(e.ByVolume.Gex, Is.EqualTo(125_000).Within(1e-6));
        Assert.That(e.DexTotal, Is.EqualTo(50_000).Within(1e-6));
        Assert.That(e.ByVolume.Dex, Is.EqualTo(12_500).Within(1e-6));
        Assert.That(e.VegaTotal, Is.EqualTo(reference.Vega * 1000 * 100 * 0.01).Within(1e-6));
        Assert.That(e.ThetaTotal, Is.EqualTo(reference.Theta * 1000 * 100 / 365).Within(1e-3), "N(d2) by the 7.5e-8 polynomial");
        Assert.That(e.VommaTotal, Is.EqualTo(vomma * 1000 * 100 * 0.0001).Within(Math.Abs(vomma) * 1e-3 + 1e-6));
        Assert.That(e.VannaTotal, Is.EqualTo(reference.Vanna * 1000 * 100 * 100 * 0.01).Within(1e-6));
        Assert.That(e.ByVolume.Vanna, Is.EqualTo(e.VannaTotal / 4).Within(1e-6));
        var expiry = e.ByExpiry.Single();
        Assert.That((expiry.Expiry, expiry.DaysToExpiry, expiry.OpenInterest, expiry.Volume), Is.EqualTo((Expiry, 14, 1000.0, 250.0)));
        Assert.That(expiry.ByOpenInterest.Gex, Is.EqualTo(500_000).Within(1e-6));
    }

    [Test]
    public void ADag_ScalesGammaUpWhenFlowAligns_DownWhenItOpposes()
    {
        var options = new EotsOptions();

        // Aligned: a = (1 + 1) / 2 = 1 → 1.35; flow share |ΓF|/|GEX| = 0.5 → 1.5e6 × (1 + 0.35 × 0.5) = 1.7625e6.
        Assert.That(EotsCalculator.ADag(1.5e6, 1e6, 5_000, 2_000, 5e5, options), Is.EqualTo(1.7625e6).Within(1e-6));
        // Opposed: a = −1 → 0.65: 1.5e6 × (1 − 0.35 × 0.5) = 1.2375e6.
        Assert.That(EotsCalculator.ADag(1.5e6, 1e6, 5_000, -2_000, -5e5, options), Is.EqualTo(1.2375e6).Within(1e-6));
        // Mixed: a = 0 → neutral, the DTE-scaled GEX itself; no flow likewise.
        Assert.That(EotsCalculator.ADag(1.5e6, 1e6, 5_000, -2_000, 5e5, options), Is.EqualTo(1.5e6));
        Assert.That(EotsCalculator.ADag(1.5e6, 1e6, 5_000, 0, 0, options), Is.EqualTo(1.5e6));
        // Flow larger than the standing exposure applies the whole multiplier.
        Assert.That(EotsCalculator.ADag(1e6, 1e6, 5_000, 2_000, 3e6, options), Is.EqualTo(1.35e6).Within(1e-6));
        Assert.That(new[] { 0, 3, 30, 60 }.Select(d => EotsCalculator.DteScale(d, options)), Is.EqualTo(new[] { 1.5, 1.2, 1.0, 0.8 }));
    }

    [Test]
    public void Vri2_CombinesVannaFlowVommaAndTermStructure()
    {
        // 1e5 × (1 + 1 × 0.5) × (1 + 1 × 200/1000) × 1.1 = 198,000.
        Assert.That(EotsCalculator.Vri2(1e5, 200, 1000, 0.5, 1.1, new EotsOptions()), Is.EqualTo(198_000).Within(1e-6));
        // The vomma/vega ratio is clamped to ±1; no vega, no vomma term.
        Assert.That(EotsCalculator.Vri2(1e5, 5000, 1000, 0, 1, new EotsOptions()), Is.EqualTo(2e5).Within(1e-6));
        Assert.That(EotsCalculator.Vri2(1e5, 5000, 0, 0, 1, new EotsOptions()), Is.EqualTo(1e5).Within(1e-6));
    }

    [Test]
    public void GibAndHpEod_FromTheMoveSinceTheOpen_TimeWeighted()
    {
        var open = new Bar("XYZ", Bar.Minute, new DateTimeOffset(2026, 12, 4, 14, 30, 0, TimeSpan.Zero), 99, 99.5, 98.8, 99.2, 1000);
        var yesterday = open with { Start = open.Start.AddDays(-1), Open = 90 };
        var options = NewOptions();
        options.Eots.GibBaseline = 100_000;

        var eots = Calculator(options).Compute(Snapshot(100, [Contract(OptionRight.Call, 100, 1000)], [yesterday, open]), [], []).Eots;

        // GIB = 500,000 − 100,000; move (100 − 99)/100 = 1 % → dealers long gamma sell: −400,000 × 1 × 0.75 (12:45 is half-way: 0.5 + 0.5 × 0.5).
        Assert.That(eots.Gib, Is.EqualTo(400_000).Within(1e-6));
        Assert.That(eots.ReferencePrice, Is.EqualTo(99), "the first minute bar of today's session, not yesterday's");
        Assert.That(eots.HpEod, Is.EqualTo(-300_000).Within(1e-6));
        Assert.That(EotsCalculator.TimeWeight(new DateTimeOffset(2026, 12, 4, 14, 30, 0, TimeSpan.Zero), new EotsOptions()), Is.EqualTo(0.5));
        Assert.That(EotsCalculator.TimeWeight(new DateTimeOffset(2026, 12, 4, 22, 0, 0, TimeSpan.Zero), new EotsOptions()), Is.EqualTo(1.0), "after the close");
        Assert.That(Calculator().Compute(Snapshot(100, [Contract(OptionRight.Call, 100, 1000)]), [], []).Eots.HpEod, Is.Null, "no bar, no open, no previous close");
    }

    [Test]
    public void ESdagAndDTdpi_OnOneStrike_MatchTheHandFigures()
    {
        var metrics = Calculator().Compute(Snapshot(100, [Contract(OptionRight.Call, 100, 1000)]), [], []);
        var eots = metrics.Eots;
        var strike = metrics.Exposures.ByStrike.Single();

        // The only contract is the ATM one (skew factor 1); its DEX is the largest (normalised +1): 500,000 × (1 + 0.5 × 1).
        Assert.That(eots.ESdag, Is.EqualTo(750_000).Within(1e-6));
        // Directional: 500,000 + 0.6 × 50,000 shares × 100 × 0.01 = 530,000.
        Assert.That(eots.ESdagDirectional, Is.EqualTo(530_000).Within(1e-6));
        // No flow: D-TDPI = charm × sign(theta), theta of a long call negative.
        Assert.That(strike.Theta, Is.Negative);
        Assert.That(eots.DTdpi, Is.EqualTo(-strike.Charm).Within(1e-9));
        Assert.That(eots.CharmToTheta, Is.EqualTo(Math.Abs(strike.Charm) / Math.Abs(strike.Theta)).Within(1e-12));
        Assert.That(eots.ADag, Is.EqualTo(500_000).Within(1e-6), "14 days to expiry: the normal scale 1.0, no flow");
    }

    [Test]
    public void ZeroDteSuite_OnTodaysExpiry_OrAbsentWithTheReason()
    {
        var withToday = Calculator().Compute(Snapshot(100, [Contract(OptionRight.Call, 100, 1000, volume: 250, expiry: Today), Contract(OptionRight.Call, 105, 1000)]), [], []).Eots.ZeroDte;
        var without = Calculator().Compute(Snapshot(100, [Contract(OptionRight.Call, 105, 1000)]), [], []).Eots.ZeroDte;

        Assert.That((withToday.Expiry, withToday.Contracts), Is.EqualTo(((DateOnly?)Today, 1)));
        Assert.That(withToday.Vfi, Is.EqualTo(0.25).Within(1e-12), "vega traded ÷ vega open = 250 / 1000");
        Assert.That(withToday.Vci, Is.EqualTo(1), "all of today's vanna at one strike");
        Assert.That(withToday.Vvr, Is.Not.Null);
        Assert.That(without.Vri, Is.Null);
        Assert.That(without.Reason, Does.Contain("no contract expires today (2026-12-04)").And.Contain("2026-12-18"));
    }

    [Test]
    public void ZeroDteVriAndVvr_OnOneContract_MatchTheFormulas()
    {
        var snapshot = Snapshot(100, [Contract(OptionRight.Call, 100, 1000, volume: 250, expiry: Today), Contract(OptionRight.Call, 100, 1000, expiry: Expiry)]);
        var metrics = Calculator().Compute(snapshot, [], []);
        var zero = metrics.Eots.ZeroDte;

        var years = ExpiryClock.YearsTo(AsOf, Today);
        var g = BlackScholes.Greeks(OptionRight.Call, 100, 100, years, 0.04, 0, 0.2);
        var h = 1e-5;
        var vomma = (BlackScholes.Greeks(OptionRight.Call, 100, 100, years, 0.04, 0, 0.2 + h).Vega - BlackScholes.Greeks(OptionRight.Call, 100, 100, years, 0.04, 0, 0.2 - h).Vega) / (2 * h);
        var vannaOi = g.Vanna * 1000 * 100 * 100 * 0.01;
        var term = metrics.Volatility.Term[0].AtmIv / metrics.Volatility.AtmIv!.Value;
        // VRI 0DTE = vannaₒ × (1 + min(1, 250/1000)) × (1 + clamp(vommaₒ/vegaₒ)) × T, vommaₒ/vegaₒ = (vomma × 0.0001)/(vega × 0.01).
        var expected = vannaOi * 1.25 * (1 + Math.Clamp(vomma * 0.0001 / (g.Vega * 0.01), -1, 1)) * term;
        Assert.That(zero.Vri, Is.EqualTo(expected).Within(Math.Abs(expected) * 1e-3));
        // VVR = |vanna × 250 × 100 × S × 0.01| / |vomma × 250 × 100 × 0.0001|.
        Assert.That(zero.Vvr, Is.EqualTo(Math.Abs(g.Vanna * 100 * 0.01) / Math.Abs(vomma * 0.0001)).Within(Math.Abs(g.Vanna / vomma) * 100 * 1e-3));
    }

    [Test]
    public void ZeroOpenInterestEverywhere_IsSaidPlainly_AndLeavesTheLevelsEmpty()
    {
        var metrics = Calculator().Compute(Snapshot(100, [Contract(OptionRight.Call, 100, 0, volume: 40), Contract(OptionRight.Put, 95, 0, volume: 10)]), [], []);

        Assert.That(metrics.Warnings, Has.Some.Contains("no open interest in the whole chain of XYZ"));
        Assert.That((metrics.KeyLevels.ZeroGamma, metrics.KeyLevels.CallWall, metrics.KeyLevels.PutWall), Is.EqualTo(((double?)null, (double?)null, (double?)null)));
        Assert.That(metrics.KeyLevels.MaxPain, Is.Null);
        Assert.That(metrics.Exposures.ByVolume.Gex, Is.Not.Zero, "the day's volume still counts");
    }

    [Test]
    public void Slice_LeavesPrintsOfContractsOutsideIt_OutOfTheFlow()
    {
        var far = Contract(OptionRight.Call, 120, 100);
        var print = new TradePrint(far.OccSymbol, 1.0, 10, AggressorSide.Buy, AsOf.AddMinutes(-1));
        var snapshot = Snapshot(100, [Contract(OptionRight.Call, 100, 100), far], prints: [print]);

        Assert.That(Calculator().Compute(snapshot, [], []).Flow.NetPremium, Is.EqualTo(1_000), "whole chain: 1.00 × 10 × 100 bought");
        Assert.That(Calculator().Compute(snapshot, [], [], new ChainSlice(StrikeRangePercent: 5)).Flow.NetPremium, Is.Zero);
    }

    [Test]
    public void RankedLevels_MergeWithinATenthOfAPercent_AndScoreConviction()
    {
        var candidates = new List<LevelRanker.Candidate>
        {
            new(101, "volume", 1.0),
            new(100.05, "openInterest", 0.5),
            new(100, "gamma", 1.0),
            new(97, "putWall", 1.0),
        };

        var levels = LevelRanker.Merge(candidates, 99, new LevelOptions());

        // 100 and 100.05 merge: 1 − (1 − 0.6 × 1)(1 − 0.45 × 0.5) = 0.69, priced (0.6 × 100 + 0.225 × 100.05) / 0.825.
        Assert.That(levels.Select(l => (l.Price, l.Kind, l.Conviction)), Is.EqualTo(new[]
        {
            (Math.Round((0.6 * 100 + 0.225 * 100.05) / 0.825, 4), PriceLevel.Resistance, 0.69),
            (97.0, PriceLevel.Support, 0.5),
            (101.0, PriceLevel.Resistance, 0.3),
        }));
        Assert.That(levels[0].Sources, Is.EqualTo(new[] { "gamma", "openInterest" }));
    }

    [Test]
    public void RankedLevels_OnAChain_SupportsBelowResistancesAbove_BestFirst()
    {
        var snapshot = Snapshot(100, [
            Contract(OptionRight.Put, 95, 5000, gamma: 0.02, delta: -0.2),
            Contract(OptionRight.Call, 105, 8000, gamma: 0.02, delta: 0.2),
            Contract(OptionRight.Call, 100, 100, gamma: 0.04, delta: 0.5),
            Contract(OptionRight.Put, 100, 100, gamma: 0.04, delta: -0.5),
        ]);

        var levels = Calculator().Compute(snapshot, [], []).Levels;

        Assert.That(levels, Is.Not.Empty);
        Assert.That(levels.Select(l => l.Conviction), Is.Ordered.Descending);
        Assert.That(levels.All(l => l.Kind == (l.Price < 100 ? PriceLevel.Support : PriceLevel.Resistance)));
        var call = levels.Single(l => l.Price == 105);
        Assert.That(call.Sources, Does.Contain("gamma").And.Contain("callWall").And.Contain("openInterest"));
        Assert.That(levels.Single(l => l.Price == 95).Sources, Does.Contain("putWall"));
    }

    [TestCase("0-5", "5", 0, 5, 5.0)]
    [TestCase("7", null, 7, 7, null)]
    [TestCase("-10", "2.5%", null, 10, 2.5)]
    [TestCase("3-", null, 3, null, null)]
    public void Slice_ParsesTheControlPanelForms(string? dte, string? range, int? min, int? max, double? percent)
    {
        Assert.That(ChainSlice.TryParse(dte, range, out var slice, out var error), Is.True, error);
        Assert.That(slice, Is.EqualTo(new ChainSlice(min, max, percent)));
    }

    [TestCase("5-0", null, "minimum is above the maximum")]
    [TestCase("soon", null, "days to expiry 'soon'")]
    [TestCase(null, "wide", "strike range 'wide'")]
    [TestCase(null, "0", "strike range 0 %")]
    public void Slice_RefusesBadBounds_NamingThem(string? dte, string? range, string message)
    {
        Assert.That(ChainSlice.TryParse(dte, range, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(message));
    }

    [Test]
    public void Slice_KeepsOnlyItsContracts_SaysSo_AndAnEmptySliceIsAClearMessage()
    {
        var snapshot = Snapshot(100, [
            Contract(OptionRight.Call, 90, 10), Contract(OptionRight.Call, 100, 10), Contract(OptionRight.Put, 100, 10),
            Contract(OptionRight.Call, 110, 10), Contract(OptionRight.Put, 100, 10, expiry: Expiry.AddDays(60)),
        ]);

        var sliced = Calculator().Compute(snapshot, [], [], new ChainSlice(0, 30, 5));
        var error = Assert.Throws<EmptySliceException>(() => Calculator().Compute(snapshot, [], [], new ChainSlice(0, 0)))!;

        Assert.That((sliced.Slice.Contracts, sliced.Slice.OutOfSlice), Is.EqualTo((2, 3)));
        Assert.That(sliced.Slice.Description, Is.EqualTo("days to expiry 0–30, strikes within ±5 % of 100.00"));
        Assert.That(sliced.Exposures.ByStrike.Select(s => s.Strike), Is.EqualTo(new[] { 100.0 }));
        Assert.That(error.Message, Does.Contain("XYZ").And.Contain("days to expiry 0").And.Contain("all 5 contracts are outside"));
    }
}
