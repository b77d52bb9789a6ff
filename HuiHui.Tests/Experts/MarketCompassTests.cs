using HuiHui.Modules.Experts;
using HuiHui.Modules.Experts.Compass;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers.Cboe;
using HuiHui.Modules.Ingestion.Providers.Tradier;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Ingestion;

namespace HuiHui.Tests.Experts;

/// <summary>The order-book figures and the Market Compass against hand-computed values (docs/metrics.md, "Order book", "Market Compass").</summary>
public sealed class MarketCompassTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 12, 4, 17, 45, 0, TimeSpan.Zero);
    private static readonly DateOnly Expiry = new(2026, 12, 18);

    private static OptionContract Quoted(OptionRight right, double strike, double bid, double ask, long? bidSize, long? askSize, double delta, double iv = 0.2, double? last = null) =>
        new(OccSymbol.Format("XYZ", Expiry, right, strike), "XYZ", Expiry, strike, right, bid, ask, last, 10, 1000, iv,
            new ProviderGreeks(delta, 0.05, null, null, null), AsOf, BidSize: bidSize, AskSize: askSize);

    private static ChainSnapshot Snapshot(params OptionContract[] contracts) =>
        new("XYZ", AsOf, "test", new UnderlyingQuote("XYZ", 100, null, null, null, null, null, null, 0, AsOf), contracts, [], [], [], []);

    private static OrderBookMetrics Book(ChainSnapshot snapshot)
    {
        using var chain = ChainArrays.From(snapshot, 0.04, 0);
        return OrderBookCalculator.Compute(chain, snapshot);
    }

    [Test]
    public void OrderBook_MatchesTheHandComputedFigures()
    {
        // Call 100: bid 2.00 × 30, ask 2.20 × 10, delta 0.5, IV 0.2, last 2.15. Put 95: bid 1.00 × 10, ask 1.10 × 30, delta −0.25, IV 0.25.
        var book = Book(Snapshot(
            Quoted(OptionRight.Call, 100, 2.00, 2.20, 30, 10, 0.5, 0.2, last: 2.15),
            Quoted(OptionRight.Put, 95, 1.00, 1.10, 10, 30, -0.25, 0.25)));

        Assert.That(book.Contracts, Is.EqualTo(2));
        // Imbalance: call (30 − 10)/40 = +0.5, put (10 − 30)/40 = −0.5; w = |delta| × depth = 20 and 10.
        // VABAI = (20 × (+1) × 0.5 × 0.2 + 10 × (−1) × (−0.5) × 0.25) / 30 = (2 + 1.25) / 30.
        Assert.That(book.Vabai, Is.EqualTo(3.25 / 30).Within(1e-6));
        // LIDB = (20 × (+1) × (0.75 − 0.5) + 10 × (−1) × (0.25 − 0.5)) / 30 = 7.5 / 30.
        Assert.That(book.Lidb, Is.EqualTo(0.25).Within(1e-6));
        // Microprice: call (2.00 × 10 + 2.20 × 30)/40 = 2.15, 0.05 over the mid, ÷ 0.5 = +0.10 of the underlying;
        // put (1.00 × 30 + 1.10 × 10)/40 = 1.025, −0.025 under the mid, ÷ −0.25 = +0.10. Depth-weighted +0.10 on 100 = 10 bp.
        Assert.That(book.Lwpai, Is.EqualTo(10).Within(1e-4));
        // SVR = mean((0.2 / 2.1) / 0.2, (0.1 / 1.05) / 0.25).
        Assert.That(book.Svr, Is.EqualTo(((0.2 / 2.1 / 0.2) + (0.1 / 1.05 / 0.25)) / 2).Within(1e-6));
        // TPDLF: only the call traded, and its spread (0.2 / 2.1 = 9.5 %) is within 10 %: (2.15 − 2.10) / 0.10 = +0.5.
        Assert.That(book.Tpdlf, Is.EqualTo(0.5).Within(1e-6));
        // Notional: call +(2.00 × 30 − 2.20 × 10) × 100 = 3,800; put −(1.00 × 10 − 1.10 × 30) × 100 = 2,300.
        Assert.That(book.NotionalImbalance, Is.EqualTo(6_100).Within(1e-6));
    }

    [Test]
    public void OrderBook_LeavesOutContractsWithoutSizesTinyDeltaOrWideSpreads_AndIsEmptyWithoutThem()
    {
        var none = Book(Snapshot(
            Quoted(OptionRight.Call, 100, 2.00, 2.20, null, null, 0.5),
            Quoted(OptionRight.Call, 130, 0.05, 0.06, 50, 50, 0.01),
            Quoted(OptionRight.Call, 105, 0.50, 1.00, 50, 50, 0.3)));

        Assert.That(none, Is.EqualTo(OrderBookMetrics.None));
    }

    [Test]
    public void Providers_ReadTheQuotedSizes()
    {
        var (tradier, _) = TradierParser.ParseChain(Samples.Bytes("tradier_chain.json"), "SPY", AsOf);
        Assert.That(tradier.Select(c => (c.BidSize, c.AskSize)).First(), Is.EqualTo(((long?)40, (long?)35)));

        var cboe = CboeParser.Parse(Samples.Bytes("cboe_delayed_options.json"), "SPY");
        var first = cboe.Contracts.First(c => c.OccSymbol == "SPY261218C00590000");
        Assert.That((first.BidSize, first.AskSize), Is.EqualTo(((long?)40, (long?)35)));
    }

    [Test]
    public void ZScore_IsAgainstTheEarlierReadings_AndNeedsEnoughOfThem()
    {
        double?[][] earlier = [[1.0], [2.0], [3.0], [null], [4.0]];

        // Mean 2.5, population sd √1.25; x = 5 → 2.5 / 1.118 = 2.236.
        Assert.That(CompassTracker.ZScore(5, earlier, 0, minReadings: 4), Is.EqualTo(2.5 / Math.Sqrt(1.25)).Within(1e-9));
        Assert.That(CompassTracker.ZScore(5, earlier, 0, minReadings: 5), Is.Null, "the null reading does not count");
        Assert.That(CompassTracker.ZScore(null, earlier, 0, minReadings: 1), Is.Null);
        Assert.That(CompassTracker.ZScore(9, [[3.0], [3.0]], 0, minReadings: 2), Is.EqualTo(0), "readings that do not vary");
    }

    [Test]
    public void Compass_ScalesZOverThree_GhostsThePreviousReading_AndPreviewsWithoutKeeping()
    {
        var tracker = new CompassTracker(Microsoft.Extensions.Options.Options.Create(new ExpertsOptions { Compass = new CompassOptions { MinReadings = 3 } }));
        MarketCompass Live(int minute, double vapi, double notional) => tracker.Observe(Metrics(minute, vapi, notional));

        var first = Live(0, 1, 1000);
        Assert.That(first.Axes.Select(a => a.Name), Is.EqualTo(MarketCompass.Names));
        Assert.That((first.Readings, first.Axes[0].Scaled, first.Axes[8].Raw), Is.EqualTo((0, (double?)null, (double?)null)), "nothing to score against, no AOFM yet");
        Live(1, 2, 1500);
        Live(2, 3, 1200);

        // VAPI-FA 1, 2, 3 before: mean 2, sd √(2/3); x = 4 → z = 2.449 → scaled 0.8165. AOFM = 1,800 − 1,200 = 600.
        var preview = tracker.Preview(Metrics(3, 4, 1800));
        Assert.That(preview.Readings, Is.EqualTo(3));
        Assert.That(preview.Axes[0].Z, Is.EqualTo(2 / Math.Sqrt(2.0 / 3)).Within(1e-4));
        Assert.That(preview.Axes[0].Scaled, Is.EqualTo(2 / Math.Sqrt(2.0 / 3) / 3).Within(1e-4));
        Assert.That(preview.Axes[8].Raw, Is.EqualTo(600));

        var extreme = tracker.Observe(Metrics(3, 40, 1800));
        Assert.That(extreme.Readings, Is.EqualTo(3), "the preview was not kept");
        Assert.That(extreme.Axes[0].Scaled, Is.EqualTo(1), "clamped");
        var next = tracker.Observe(Metrics(4, 2, 1800));
        Assert.That((next.Readings, next.Axes[0].Previous, next.PreviousAsOf), Is.EqualTo((4, (double?)1, (DateTimeOffset?)AsOf.AddMinutes(3))));
    }

    private static MetricsBundle Metrics(int minute, double vapiFa, double notional)
    {
        var flow = new FlowMetrics(null, null, 0, 0, 0, 0, 0, 0, 0, vapiFa, 0.5, 0.1, []);
        var eots = new EotsMetrics(1e6, 0, 0, 0, null, 0, 2e5, -3e6, null, null, new ZeroDteSuite(null, 0, null, null, null, null, "none"), []);
        var exposures = new ExposureMetrics(0, 0, 0, 0, [], 0, 0, 0, new ExposureSet(0, 0, 0, 0, 0), []);
        return new MetricsBundle("XYZ", AsOf.AddMinutes(minute), 100, 1, 0, exposures, new KeyLevels(null, null, null, null, []),
            new VolatilityMetrics(null, [], null, null, null, null, null, null, null), flow, eots, [], new SliceUsed(null, null, null, 1, 0, "all"),
            Book: new OrderBookMetrics(1, 1, 0.01, 0.1, 0.5, 0.2, notional));
    }
}
