using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Meta;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Pricing;

namespace HuiHui.Tests.Experts;

/// <summary>The complete idea on a hand-made chain; every figure below is worked out by hand in the comments.</summary>
public sealed class TradeIdeaTests
{
    internal static readonly DateTimeOffset AsOf = new(2026, 11, 24, 20, 0, 0, TimeSpan.Zero);
    internal static readonly DateOnly Near = new(2026, 12, 4);   // 10 days
    internal static readonly DateOnly Mid = new(2026, 12, 18);   // 24 days
    private static readonly DateOnly Far = new(2027, 1, 15);    // 52 days

    internal static OptionContract Contract(OptionRight right, DateOnly expiry, double strike, double delta, double bid, double ask) =>
        new(OccSymbol.Format("XYZ", expiry, right, strike), "XYZ", expiry, strike, right, bid, ask, null, 10, 1000, 0.2,
            new ProviderGreeks(delta, 0.02, -0.05, 0.1, null), AsOf);

    internal static readonly OptionContract[] Calls =
    [
        Contract(OptionRight.Call, Mid, 95, 0.70, 7.0, 7.4),
        Contract(OptionRight.Call, Mid, 100, 0.52, 3.9, 4.1),
        Contract(OptionRight.Call, Mid, 105, 0.27, 1.9, 2.1),
        Contract(OptionRight.Call, Mid, 110, 0.12, 0.7, 0.8),
        Contract(OptionRight.Call, Near, 100, 0.51, 2.0, 2.2),
        Contract(OptionRight.Call, Far, 100, 0.53, 5.8, 6.2),
    ];

    // Fourteen sessions of true range 2 (high 101, low 99, close 100), then one that gapped: previous close 100, high 104,
    // low 101 → true range max(3, 4, 1) = 4. ATR(14) = (13 × 2 + 4) / 14 = 30 / 14 = 2.142857.
    internal static List<Bar> DailyBars()
    {
        var bars = Enumerable.Range(0, 15).Select(i => new Bar("XYZ", Bar.Daily, AsOf.Date.AddDays(-16 + i), 100, 101, 99, 100, 1000)).ToList();
        bars.Add(new Bar("XYZ", Bar.Daily, AsOf.Date.AddDays(-1), 102, 104, 101, 103, 1000));
        return bars;
    }

    internal static (ChainSnapshot Snapshot, MetricsBundle Metrics) Market(IReadOnlyList<OptionContract> contracts)
    {
        var snapshot = new ChainSnapshot("XYZ", AsOf, "test", new UnderlyingQuote("XYZ", 100, null, null, null, null, null, null, 0, AsOf), contracts, [], [], [], []);
        var metrics = new MetricsCalculator(Microsoft.Extensions.Options.Options.Create(new MetricsOptions())).Compute(snapshot, [], []);
        return (snapshot, metrics with
        {
            Levels =
            [
                new PriceLevel(96.5, PriceLevel.Support, 0.8, ["put wall"]),
                new PriceLevel(102.5, PriceLevel.Resistance, 0.7, ["call wall"]),
                new PriceLevel(106, PriceLevel.Resistance, 0.5, ["gamma"]),
            ],
        });
    }

    internal static MetaResponse Meta(MetricsBundle metrics, string strategy, double conviction, Bias bias = Bias.Bullish) =>
        new(bias, conviction, strategy, "test", metrics.KeyLevels, [], "test", [], MetaOrchestrator.DefaultWeights);

    [Test]
    public void CallDebitSpread_LegsByDeltaInTheTargetExpiry_StopAndTargetsPulledToLevels_RiskPerUnit()
    {
        var (snapshot, metrics) = Market(Calls);

        var (idea, noIdea) = TradeIdeas.Build(snapshot, metrics, DailyBars(), Meta(metrics, "call debit spread", 0.7), null, 0.2, 0.04, 0);

        Assert.That(noIdea, Is.Null);
        Assert.That(idea, Is.Not.Null);
        // 14–45 days, middle 29.5: 18 Dec (24 days) is inside, 4 Dec (10) and 15 Jan (52) are not.
        // Long leg |delta| nearest 0.50: the 100 (0.52); short leg beyond it nearest 0.25: the 105 (0.27).
        Assert.That(idea!.Legs.Select(l => (l.Strike, l.Expiry, l.Side, l.Right)), Is.EqualTo(new[]
        {
            (100.0, Mid, LegSide.Buy, OptionRight.Call), (105.0, Mid, LegSide.Sell, OptionRight.Call),
        }));
        // Mid 4.00 − 2.00 = 2.00 paid; natural 4.10 − 1.90 = 2.20. Width 5: max loss 2.00, max gain 3.00 per share, × 100.
        Assert.That(idea.Entry.Mid, Is.EqualTo(2.0).Within(1e-9));
        Assert.That(idea.Entry.Natural, Is.EqualTo(2.2).Within(1e-9));
        Assert.That(idea.MaxLoss, Is.EqualTo(200).Within(1e-9));
        Assert.That(idea.MaxGain, Is.EqualTo(300).Within(1e-9));
        Assert.That(idea.Atr, Is.EqualTo(30.0 / 14).Within(1e-4));
        Assert.That(idea.AtrSource, Is.EqualTo("daily bars"));
        // Stop 100 − 1.5 × 2.142857 = 96.79 → the support at 96.5 (0.29 away, within 0.5 ATR = 1.07).
        // Targets 102.14 → the resistance at 102.5; 104.29 has no level within 1.07 (106 is 1.71 away) and stays.
        Assert.That(idea.StopBelow, Is.EqualTo(96.5));
        Assert.That(idea.StopAbove, Is.Null);
        Assert.That(idea.Targets, Is.EqualTo(new[] { 102.5, 104.29 }));
        Assert.That(idea.Entry.ZoneLow, Is.EqualTo(99.46));
        Assert.That(idea.Entry.ZoneHigh, Is.EqualTo(100.54));
        Assert.That(idea.ExpiresAt, Is.EqualTo(ExpiryClock.Close(Mid)));
        Assert.That(idea.Conviction, Is.EqualTo(0.7));
    }

    [Test]
    public void LongPuts_WithFewBars_UseTheImpliedMove_AndAStopAbove()
    {
        var puts = new[]
        {
            Contract(OptionRight.Put, Near, 100, -0.55, 2.0, 2.2),
            Contract(OptionRight.Put, Near, 95, -0.30, 0.9, 1.0),
            Contract(OptionRight.Put, Mid, 100, -0.48, 3.8, 4.0),
        };
        var (snapshot, metrics) = Market([.. Calls, .. puts]);

        // Conviction 0.7: 7–21 days at 0.55 delta → 4 Dec (10 days) is the one inside; the 100 put (−0.55).
        var (idea, _) = TradeIdeas.Build(snapshot, metrics, DailyBars().Take(5).ToList(), Meta(metrics, "long puts", 0.7, Bias.Bearish), null, 0.2, 0.04, 0);

        Assert.That(idea!.Legs.Single().OccSymbol, Is.EqualTo(OccSymbol.Format("XYZ", Near, OptionRight.Put, 100)));
        Assert.That(idea.AtrSource, Is.EqualTo("implied move"));
        Assert.That(idea.Atr, Is.EqualTo(100 * metrics.Volatility.AtmIv!.Value / Math.Sqrt(252)).Within(1e-4));
        Assert.That(idea.StopAbove, Is.Not.Null.And.GreaterThan(100));
        Assert.That(idea.StopBelow, Is.Null);
        Assert.That(idea.Targets, Is.All.LessThan(100));
        // Paid 2.10 at the mid: lose at most 210, make at most (100 − 2.10) × 100 = 9,790.
        Assert.That(idea.MaxLoss, Is.EqualTo(210).Within(1e-9));
        Assert.That(idea.MaxGain, Is.EqualTo(9790).Within(1e-9));
    }

    [Test]
    public void NoIdea_UnderTheConvictionFloor_OrWhenTheChainLacksTheStrikes_SaysWhy()
    {
        var (snapshot, metrics) = Market(Calls);

        var (weak, weakWhy) = TradeIdeas.Build(snapshot, metrics, DailyBars(), Meta(metrics, "call debit spread", 0.1), null, 0.2, 0.04, 0);
        var (noPuts, noPutsWhy) = TradeIdeas.Build(snapshot, metrics, DailyBars(), Meta(metrics, "put credit spread", 0.5), null, 0.2, 0.04, 0);

        Assert.That(weak, Is.Null);
        Assert.That(weakWhy, Does.Contain("Conviction 10 %").And.Contain("20 % floor"));
        Assert.That(noPuts, Is.Null);
        Assert.That(noPutsWhy, Does.Contain("puts have no quoted strike").And.Contain("put credit spread"));
    }
}
