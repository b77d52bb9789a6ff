using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Pricing;
using HuiHui.Tests.Ingestion;

namespace HuiHui.Tests.Experts;

public sealed class MetricsCalculatorTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 24, 20, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Expiry = new(2026, 12, 18);
    private static readonly MetricsOptions Options = new() { RiskFreeRate = 0.04, DividendYield = 0 };

    private static MetricsCalculator Calculator => new(Microsoft.Extensions.Options.Options.Create(Options));

    private static OptionContract Contract(OptionRight right, double strike, long oi, double iv = 0.2, double? gamma = null, double? delta = null, long volume = 0, DateOnly? expiry = null, double bid = 1, double ask = 1.1) =>
        new(OccSymbol.Format("XYZ", expiry ?? Expiry, right, strike), "XYZ", expiry ?? Expiry, strike, right, bid, ask, null, volume, oi, iv,
            gamma is null ? null : new ProviderGreeks(delta ?? 0.5, gamma, null, null, null), AsOf);

    private static ChainSnapshot Snapshot(double spot, IReadOnlyList<OptionContract> contracts, IReadOnlyList<TradePrint>? prints = null) =>
        new("XYZ", AsOf, "test", new UnderlyingQuote("XYZ", spot, null, null, null, null, null, null, 0, AsOf), contracts, prints ?? [], [], [], []);

    [Test]
    public void Exposures_WallsAndMaxPain_MatchAHandComputedChain()
    {
        // Provider gammas of 0.01 everywhere make GEX = 0.01 × OI × 100 × 100² × 0.01 = 100 × OI at spot 100.
        var snapshot = Snapshot(100, [
            Contract(OptionRight.Call, 90, 30, gamma: 0.01, delta: 0.9),
            Contract(OptionRight.Call, 100, 10, gamma: 0.01, delta: 0.5),
            Contract(OptionRight.Call, 110, 50, gamma: 0.01, delta: 0.1),
            Contract(OptionRight.Put, 90, 40, gamma: 0.01, delta: -0.1),
            Contract(OptionRight.Put, 100, 10, gamma: 0.01, delta: -0.5),
        ]);

        var metrics = Calculator.Compute(snapshot, [], []);

        Assert.That(metrics.Exposures.ByStrike.Select(s => (s.Strike, s.CallGex, s.PutGex, s.NetGex)), Is.EqualTo(new[]
        {
            (90.0, 3000.0, -4000.0, -1000.0), (100.0, 1000.0, -1000.0, 0.0), (110.0, 5000.0, 0.0, 5000.0),
        }));
        Assert.That(metrics.Exposures.GexTotal, Is.EqualTo(4000).Within(1e-9));
        Assert.That(metrics.Exposures.DexTotal, Is.EqualTo((0.9 * 30 + 0.5 * 10 + 0.1 * 50 - 0.1 * 40 - 0.5 * 10) * 100).Within(1e-9));
        Assert.That((metrics.KeyLevels.CallWall, metrics.KeyLevels.PutWall), Is.EqualTo(((double?)110, (double?)90)));
        // Paid to holders at 90: puts 100×10 = 100; at 100: calls 90×30×10 = 300; at 110: 30×20 + 10×10 = 700.
        Assert.That(metrics.KeyLevels.MaxPain, Is.EqualTo(90));
        // Hedge wall: running net GEX −1000, −1000, +4000 changes sign at 110; key gamma strike 110 (|5000|);
        // DEX by strike 90: (0.9 × 30 − 0.1 × 40) × 100 = 2300, 100: 0, 110: 500 → key delta strike 90.
        Assert.That((metrics.KeyLevels.HedgeWall, metrics.KeyLevels.KeyGammaStrike, metrics.KeyLevels.KeyDeltaStrike), Is.EqualTo(((double?)110, (double?)110, (double?)90)));
        Assert.That(metrics.ComputedGreeks, Is.Zero, "the provider's greeks were used");
        Assert.That(metrics.Flow.PcrOi, Is.EqualTo(50.0 / 90).Within(1e-12));
    }

    [Test]
    public void MaxPain_IsPerExpiry_TheNearestFirst()
    {
        var later = Expiry.AddDays(28);
        var snapshot = Snapshot(100, [
            Contract(OptionRight.Call, 95, 100), Contract(OptionRight.Put, 105, 100),
            Contract(OptionRight.Call, 80, 10, expiry: later), Contract(OptionRight.Put, 120, 500, expiry: later), Contract(OptionRight.Call, 120, 1, expiry: later),
        ]);

        var levels = Calculator.Compute(snapshot, [], []).KeyLevels;

        Assert.That(levels.MaxPainByExpiry.Select(m => (m.Expiry, m.Strike)), Is.EqualTo(new[] { (Expiry, 95.0), (later, 120.0) }));
        Assert.That(levels.MaxPain, Is.EqualTo(95));
    }

    [Test]
    public void ZeroGamma_IsWhereTotalGexCrosses_CheckedWithIndependentGreeks()
    {
        // Puts below spot, calls above: GEX is negative low and positive high, so it flips between them.
        var contracts = new List<OptionContract>();
        foreach (var strike in new[] { 85.0, 90, 95 })
        {
            contracts.Add(Contract(OptionRight.Put, strike, 1000, iv: 0.25));
        }

        foreach (var strike in new[] { 105.0, 110, 115 })
        {
            contracts.Add(Contract(OptionRight.Call, strike, 800, iv: 0.25));
        }

        var snapshot = Snapshot(100, contracts);
        double Gex(double spot) => contracts.Sum(c =>
            (c.Right == OptionRight.Call ? 1 : -1) * c.OpenInterest * 100 * spot * spot * 0.01
            * BlackScholes.Greeks(c.Right, spot, c.Strike, ExpiryClock.YearsTo(AsOf, c.Expiry), 0.04, 0, 0.25).Gamma);

        var zero = Calculator.Compute(snapshot, [], []).KeyLevels.ZeroGamma;

        Assert.That(zero, Is.Not.Null.And.InRange(95.0, 105.0));
        Assert.That(Math.Sign(Gex(zero!.Value - 0.05)), Is.Not.EqualTo(Math.Sign(Gex(zero.Value + 0.05))));
        Assert.That(Math.Abs(Gex(zero.Value)), Is.LessThan(0.01 * Math.Abs(Gex(110))));

        var callsOnly = Snapshot(100, contracts.Where(c => c.Right == OptionRight.Call).ToList());
        Assert.That(Calculator.Compute(callsOnly, [], []).KeyLevels.ZeroGamma, Is.Null, "no crossing within ±20 %");
    }

    [Test]
    public void Volatility_AtmIvInterpolatesAroundSpot_RealisedVolMatchesItsDefinition()
    {
        var snapshot = Snapshot(102, [
            Contract(OptionRight.Call, 100, 10, iv: 0.20), Contract(OptionRight.Put, 100, 10, iv: 0.20),
            Contract(OptionRight.Call, 110, 10, iv: 0.30), Contract(OptionRight.Put, 110, 10, iv: 0.30),
        ]);
        var closes = new[] { 100.0, 101, 99.5, 100.2, 102, 101.1, 100.8, 103, 102.2, 101.9 };
        var bars = closes.Select((c, i) => new Bar("XYZ", Bar.Daily, AsOf.AddDays(i - closes.Length), c, c * 1.01, c * 0.99, c, 1000)).ToList();
        var returns = closes.Zip(closes.Skip(1), (a, b) => Math.Log(b / a)).ToList();
        var mean = returns.Average();
        var expectedCc = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / (returns.Count - 1) * 252);
        var expectedParkinson = Math.Sqrt(Math.Pow(Math.Log(1.01 / 0.99), 2) / (4 * Math.Log(2)) * 252);

        var volatility = Calculator.Compute(snapshot, bars, [0.1, 0.15, 0.3, 0.4]).Volatility;

        Assert.That(volatility.AtmIv, Is.EqualTo(0.22).Within(1e-12));
        Assert.That(volatility.RealizedCloseToClose, Is.EqualTo(expectedCc).Within(1e-12));
        Assert.That(volatility.RealizedParkinson, Is.EqualTo(expectedParkinson).Within(1e-12));
        Assert.That(volatility.IvRank, Is.EqualTo((0.22 - 0.1) / 0.3).Within(1e-12));
        Assert.That(volatility.IvPercentile, Is.EqualTo(0.5));
    }

    [Test]
    public void Flow_SignsPremiumByAggressor_AndFindsBlocksAndSweeps()
    {
        var call = Contract(OptionRight.Call, 105, 100, bid: 1.95, ask: 2.05);
        var put = Contract(OptionRight.Put, 95, 100, bid: 0.95, ask: 1.05);
        var t = AsOf.AddMinutes(-3);
        var prints = new List<TradePrint>
        {
            new(call.OccSymbol, 2.00, 10, AggressorSide.Buy, t),
            new(put.OccSymbol, 1.00, 5, AggressorSide.Buy, t),
            new(call.OccSymbol, 1.90, 3, AggressorSide.Sell, t),
            new(call.OccSymbol, 2.05, 600, AggressorSide.Buy, t.AddSeconds(10)),
            new(put.OccSymbol, 1.05, 50, AggressorSide.Buy, t.AddSeconds(30)),
            new(put.OccSymbol, 1.05, 60, AggressorSide.Buy, t.AddSeconds(30.5)),
            new(put.OccSymbol, 1.05, 40, AggressorSide.Buy, t.AddSeconds(31)),
        };

        var flow = Calculator.Compute(Snapshot(100, [call, put], prints), [], []).Flow;

        var callPremium = (2.00 * 10 - 1.90 * 3 + 2.05 * 600) * 100;
        var putPremium = (1.00 * 5 + 1.05 * 150) * 100;
        Assert.That(flow.CallPremium, Is.EqualTo(callPremium).Within(1e-6));
        Assert.That(flow.PutPremium, Is.EqualTo(putPremium).Within(1e-6));
        Assert.That(flow.NetPremium, Is.EqualTo(callPremium - putPremium).Within(1e-6));
        Assert.That((flow.Blocks, flow.Sweeps), Is.EqualTo((1, 1)));
        Assert.That(flow.LargestBlocks.Single().Size, Is.EqualTo(600));
        Assert.That(flow.TwLaf, Is.InRange(-1.0, 1.0));
    }

    [Test]
    public void DerivedFlow_GivesWhatTheSameTradesGiveAsPrints()
    {
        // Ten snapshots a minute apart; each minute some contracts trade at the ask or the bid. The quotes stay put, so the
        // delta and liquidity each trade was weighted with at its snapshot are those of the last chain too.
        var contracts = new[]
        {
            Contract(OptionRight.Call, 100, 500, gamma: 0.05, delta: 0.52, bid: 2.95, ask: 3.05),
            Contract(OptionRight.Call, 105, 400, gamma: 0.04, delta: 0.31, bid: 1.10, ask: 1.20),
            Contract(OptionRight.Put, 95, 600, gamma: 0.04, delta: -0.28, bid: 0.90, ask: 1.00),
            Contract(OptionRight.Put, 100, 300, gamma: 0.05, delta: -0.48, bid: 2.40, ask: 2.60),
        };
        var tape = new HuiHui.Modules.Ingestion.Flow.FlowTape(TimeSpan.FromMinutes(30));
        var trades = new List<TradePrint>();
        ChainSnapshot last = null!;
        for (var minute = 0; minute <= 10; minute++)
        {
            var at = AsOf.AddMinutes(minute - 10);
            var chain = contracts.Select((c, i) => c with
            {
                Volume = Enumerable.Range(1, minute).Sum(m => (m * 7 + i * 3) % 5 * 120),
                Last = (minute + i) % 3 == 0 ? c.Bid : c.Ask,
                UpdatedAt = at,
            }).ToList();
            var snapshot = Snapshot(100, chain) with { AsOf = at, Quote = new UnderlyingQuote("XYZ", 100, null, null, null, null, null, null, 0, at) };
            last = tape.Apply(snapshot).Snapshot!;
            trades.AddRange(last.Prints);
        }

        var derived = Calculator.Compute(last, [], []).Flow;
        var printed = Calculator.Compute(last with { Prints = trades, Flow = null }, [], []).Flow;

        Assert.That(trades, Has.Count.GreaterThan(20));
        Assert.That(derived.DerivedFrom, Is.EqualTo("volumeDelta"));
        Assert.That(derived.CallPremium, Is.EqualTo(printed.CallPremium).Within(1e-6));
        Assert.That(derived.PutPremium, Is.EqualTo(printed.PutPremium).Within(1e-6));
        Assert.That(derived.NetPremium, Is.EqualTo(printed.NetPremium).Within(1e-6));
        Assert.That(derived.NetDeltaFlow, Is.EqualTo(printed.NetDeltaFlow).Within(1e-6));
        Assert.That(derived.NetVolume, Is.EqualTo(printed.NetVolume));
        Assert.That(derived.Blocks, Is.EqualTo(printed.Blocks));
        Assert.That(derived.VapiFa, Is.EqualTo(printed.VapiFa).Within(1e-9));
        Assert.That(derived.Dwfd, Is.EqualTo(printed.Dwfd).Within(1e-9));
        Assert.That(derived.TwLaf, Is.EqualTo(printed.TwLaf).Within(1e-9));
        Assert.That(derived.TwLaf, Is.Not.Zero);
    }

    [Test]
    public void PartialPrints_AndDerivedIntervals_AddUp()
    {
        var call = Contract(OptionRight.Call, 105, 100, bid: 1.95, ask: 2.05);
        var put = Contract(OptionRight.Put, 95, 100, bid: 0.95, ask: 1.05);
        var print = new TradePrint(call.OccSymbol, 2.05, 10, AggressorSide.Buy, AsOf.AddMinutes(-2));
        var interval = new FlowInterval(AsOf.AddMinutes(-1), 0, -1.0 * 20 * 100, -20, 20 * 0.3 * 100, 20, 20, 20 * 0.3, 20 * 10.0, 20 * 10.0, 4, []);
        var snapshot = Snapshot(100, [call, put], [print]) with { Flow = new SnapshotFlow(FlowOrigins.Prints, 4, "mixed", [interval], PartialPrints: true) };

        var flow = Calculator.Compute(snapshot, [], []).Flow;

        Assert.That(flow.CallPremium, Is.EqualTo(2.05 * 10 * 100).Within(1e-9), "the print");
        Assert.That(flow.PutPremium, Is.EqualTo(-2000).Within(1e-9), "the interval: 20 puts sold at 1.00");
        Assert.That(flow.NetPremium, Is.EqualTo(2050 + 2000).Within(1e-9));
        Assert.That(flow.NetVolume, Is.EqualTo(10 - 20));
        Assert.That((flow.UnclassifiedVolume, flow.DerivedFrom, flow.Note), Is.EqualTo((4L, "prints", "mixed")));
    }

    [Test]
    public void TwLaf_IsPlusOneForOnlyBullishFlow_AndMinusOneForOnlyBearish()
    {
        var call = Contract(OptionRight.Call, 105, 100, bid: 1.95, ask: 2.05);
        var bullish = Enumerable.Range(0, 20).Select(i => new TradePrint(call.OccSymbol, 2.05, 10, AggressorSide.Buy, AsOf.AddMinutes(-i - 0.5))).ToList();
        var bearish = bullish.Select(p => p with { Side = AggressorSide.Sell, Price = 1.95 }).ToList();

        Assert.That(Calculator.Compute(Snapshot(100, [call], bullish), [], []).Flow.TwLaf, Is.EqualTo(1).Within(1e-12));
        Assert.That(Calculator.Compute(Snapshot(100, [call], bearish), [], []).Flow.TwLaf, Is.EqualTo(-1).Within(1e-12));
    }

    [Test]
    public void SimulatedChain_GivesSaneMetrics()
    {
        var snapshot = SimulatedMarketTests.Market().Snapshot("SPY");

        var metrics = new MetricsCalculator(Microsoft.Extensions.Options.Options.Create(new MetricsOptions())).Compute(snapshot, [], []);

        Assert.That(metrics.Contracts, Is.EqualTo(snapshot.Contracts.Count));
        Assert.That(metrics.ComputedGreeks, Is.EqualTo(snapshot.Contracts.Count), "the simulator sends no greeks");
        Assert.That(metrics.Volatility.AtmIv, Is.InRange(0.05, 1.0));
        Assert.That(metrics.Volatility.Term, Has.Count.GreaterThan(5));
        Assert.That(metrics.KeyLevels.CallWall, Is.GreaterThan(0));
        Assert.That(metrics.KeyLevels.MaxPain, Is.InRange(snapshot.Spot * 0.8, snapshot.Spot * 1.2));
        Assert.That(metrics.Flow.PcrOi, Is.GreaterThan(0));
        Assert.That(metrics.Exposures.ByStrike.Select(s => s.Strike), Is.Ordered.And.Unique);
    }
}
