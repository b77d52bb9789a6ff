using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Flow;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Tests.Ingestion;

/// <summary>Flow derived from volume changes, against hand-counted trades.</summary>
public sealed class FlowTapeTests
{
    private static readonly DateTimeOffset Open = new(2026, 11, 24, 14, 30, 0, TimeSpan.Zero); // 09:30 New York

    private static OptionContract Contract(string occ, long volume, double? bid, double? ask, double? last, PriceTick tick = PriceTick.Unknown)
    {
        var symbol = OccSymbol.Parse(occ);
        return new OptionContract(occ, "SPY", symbol.Expiry, symbol.Strike, symbol.Right, bid, ask, last, volume, 1000, 0.2, null, Open, tick);
    }

    private static ChainSnapshot Snapshot(DateTimeOffset asOf, params OptionContract[] contracts) =>
        new("SPY", asOf, "cboe", new UnderlyingQuote("SPY", 600, null, null, null, null, null, null, 0, asOf), contracts, [], [], [], []);

    private const string Call = "SPY261218C00600000";
    private const string Put = "SPY261218P00590000";
    private const string Other = "SPY261218C00610000";

    [Test]
    public void FirstSnapshot_HasNoFlow_AndSaysWhy()
    {
        var tape = new FlowTape(TimeSpan.FromMinutes(30));

        var outcome = tape.Apply(Snapshot(Open, Contract(Call, 500, 5.0, 5.2, 5.2)));

        Assert.That(outcome.Snapshot!.Prints, Is.Empty);
        Assert.That((outcome.Snapshot.Flow!.DerivedFrom, outcome.Snapshot.Flow.UnclassifiedVolume, outcome.Snapshot.Flow.Intervals),
            Is.EqualTo((FlowOrigins.VolumeDelta, 0L, Array.Empty<FlowInterval>())));
        Assert.That(outcome.Snapshot.Flow.Note, Is.EqualTo("first snapshot of SPY: flow starts with the next one (volume changes between snapshots)"));
    }

    [Test]
    public void VolumeTradedSinceTheLastSnapshot_IsSignedByTheLastPriceAgainstTheQuote()
    {
        var tape = new FlowTape(TimeSpan.FromMinutes(30));
        tape.Apply(Snapshot(Open, Contract(Call, 500, 5.0, 5.2, 5.1), Contract(Put, 300, 3.0, 3.2, 3.1), Contract(Other, 100, 1.0, 1.2, 1.1)));

        // +40 calls at the ask (buy), +25 puts at the bid (sell), +7 of the other call inside the spread with an up tick (buy).
        var outcome = tape.Apply(Snapshot(Open.AddMinutes(1),
            Contract(Call, 540, 5.0, 5.2, 5.2), Contract(Put, 325, 3.0, 3.2, 3.0), Contract(Other, 107, 1.0, 1.2, 1.1, PriceTick.Up)));

        var prints = outcome.Snapshot!.Prints;
        Assert.That(prints.Select(p => (p.Symbol, p.Price, p.Size, p.Side, p.Time)), Is.EquivalentTo(new[]
        {
            (Call, 5.2, 40L, AggressorSide.Buy, Open.AddMinutes(1)),
            (Put, 3.0, 25L, AggressorSide.Sell, Open.AddMinutes(1)),
            (Other, 1.1, 7L, AggressorSide.Buy, Open.AddMinutes(1)),
        }));
        Assert.That(outcome.Snapshot.Flow!.UnclassifiedVolume, Is.Zero);
    }

    [TestCase(5.1, PriceTick.Unknown, TestName = "Inside the spread with no tick: unclassified")]
    [TestCase(5.1, PriceTick.Unchanged, TestName = "Inside the spread on an unchanged tick: unclassified")]
    [TestCase(null, PriceTick.Up, TestName = "No last price: unclassified")]
    public void VolumeWhoseSideCannotBeTold_IsCounted_NotGuessed(double? last, PriceTick tick)
    {
        var tape = new FlowTape(TimeSpan.FromMinutes(30));
        tape.Apply(Snapshot(Open, Contract(Call, 500, 5.0, 5.2, 5.1)));

        var outcome = tape.Apply(Snapshot(Open.AddMinutes(1), Contract(Call, 560, 5.0, 5.2, last, tick)));

        Assert.That(outcome.Snapshot!.Prints, Is.Empty);
        Assert.That(outcome.Snapshot.Flow!.UnclassifiedVolume, Is.EqualTo(60));
    }

    [Test]
    public void InsideTheSpread_TheProvidersTickDecides()
    {
        Assert.That(FlowTape.Classify(Contract(Call, 1, 5.0, 5.2, 5.1, PriceTick.Up)), Is.EqualTo(AggressorSide.Buy));
        Assert.That(FlowTape.Classify(Contract(Call, 1, 5.0, 5.2, 5.1, PriceTick.Down)), Is.EqualTo(AggressorSide.Sell));
        Assert.That(FlowTape.Classify(Contract(Call, 1, 5.0, 5.2, 5.3)), Is.EqualTo(AggressorSide.Buy), "above the ask");
        Assert.That(FlowTape.Classify(Contract(Call, 1, 5.0, 5.2, 4.9)), Is.EqualTo(AggressorSide.Sell), "below the bid");
        Assert.That(FlowTape.Classify(Contract(Call, 1, null, 5.2, 5.1, PriceTick.Up)), Is.EqualTo(AggressorSide.Unknown), "no two-sided quote");
    }

    [Test]
    public void DuplicateAndOlderSnapshots_AreRefused_AndChangeNothing()
    {
        var tape = new FlowTape(TimeSpan.FromMinutes(30));
        tape.Apply(Snapshot(Open, Contract(Call, 500, 5.0, 5.2, 5.2)));
        tape.Apply(Snapshot(Open.AddMinutes(1), Contract(Call, 520, 5.0, 5.2, 5.2)));

        var duplicate = tape.Apply(Snapshot(Open.AddMinutes(1), Contract(Call, 520, 5.0, 5.2, 5.2)));
        var older = tape.Apply(Snapshot(Open.AddSeconds(30), Contract(Call, 510, 5.0, 5.2, 5.2)));
        var next = tape.Apply(Snapshot(Open.AddMinutes(2), Contract(Call, 530, 5.0, 5.2, 5.2)));

        Assert.That((duplicate.Snapshot, duplicate.Rejected), Is.EqualTo(((ChainSnapshot?)null, "duplicate-snapshot")));
        Assert.That((older.Snapshot, older.Rejected), Is.EqualTo(((ChainSnapshot?)null, "out-of-order-snapshot")));
        Assert.That(next.Snapshot!.Prints.Select(p => p.Size), Is.EqualTo(new[] { 10L }), "the refused ones left the baseline alone");
        Assert.That(next.Snapshot.Flow!.Intervals!.Select(i => i.NetVolume), Is.EqualTo(new[] { 20.0, 10.0 }));
    }

    [Test]
    public void VolumeThatWentDown_WithinASession_IsCountedAsADrop_AndAddsNoTrade()
    {
        var tape = new FlowTape(TimeSpan.FromMinutes(30));
        tape.Apply(Snapshot(Open, Contract(Call, 500, 5.0, 5.2, 5.2), Contract(Put, 300, 3.0, 3.2, 3.0)));

        var outcome = tape.Apply(Snapshot(Open.AddMinutes(1), Contract(Call, 450, 5.0, 5.2, 5.2), Contract(Put, 310, 3.0, 3.2, 3.0)));

        Assert.That(outcome.Snapshot!.Prints.Select(p => (p.Symbol, p.Size)), Is.EqualTo(new[] { (Put, 10L) }));
        Assert.That(outcome.Snapshot.Dropped, Is.EqualTo(new[] { new DropCount("volume-decreased", 1) }));
        Assert.That(outcome.Warning, Does.Contain("volume went down"));
    }

    [Test]
    public void ANewSession_StartsFromZero_SoTheResetIsNotASale()
    {
        var tape = new FlowTape(TimeSpan.FromHours(24));
        tape.Apply(Snapshot(Open.AddHours(6), Contract(Call, 9000, 5.0, 5.2, 5.2))); // 15:30 New York

        var nextMorning = tape.Apply(Snapshot(Open.AddDays(1).AddMinutes(5), Contract(Call, 120, 5.0, 5.2, 5.2)));

        Assert.That(nextMorning.Snapshot!.Prints.Select(p => (p.Size, p.Side)), Is.EqualTo(new[] { (120L, AggressorSide.Buy) }));
        Assert.That(nextMorning.Snapshot.Dropped, Is.Empty);
    }

    [Test]
    public void TheTapeKeepsItsWindow_AndUnclassifiedVolumeAgesOutWithIt()
    {
        var tape = new FlowTape(TimeSpan.FromMinutes(30));
        tape.Apply(Snapshot(Open, Contract(Call, 100, 5.0, 5.2, 5.2), Contract(Put, 100, 3.0, 3.2, 3.1)));
        tape.Apply(Snapshot(Open.AddMinutes(1), Contract(Call, 110, 5.0, 5.2, 5.2), Contract(Put, 105, 3.0, 3.2, 3.1)));
        var at20 = tape.Apply(Snapshot(Open.AddMinutes(20), Contract(Call, 130, 5.0, 5.2, 5.2), Contract(Put, 105, 3.0, 3.2, 3.1)));
        var at31 = tape.Apply(Snapshot(Open.AddMinutes(31), Contract(Call, 131, 5.0, 5.2, 5.2), Contract(Put, 105, 3.0, 3.2, 3.1)));

        Assert.That(at20.Snapshot!.Flow!.Intervals!.Select(i => (i.At, i.Volume)), Is.EqualTo(new[] { (Open.AddMinutes(1), 10.0), (Open.AddMinutes(20), 20.0) }));
        Assert.That(at20.Snapshot.Prints.Select(p => p.Size), Is.EqualTo(new[] { 20L }), "a snapshot's prints are its own interval's trades");
        Assert.That(at20.Snapshot.Flow.UnclassifiedVolume, Is.EqualTo(5));
        Assert.That(at31.Snapshot!.Flow!.Intervals!.Select(i => i.Volume), Is.EqualTo(new[] { 20.0, 1.0 }), "the trades of minute 1 are 30 minutes old");
        Assert.That(at31.Snapshot.Flow.UnclassifiedVolume, Is.Zero);
    }

    [Test]
    public void ASnapshotWithPrints_KeepsThem_AndStillSetsTheBaseline()
    {
        var tape = new FlowTape(TimeSpan.FromMinutes(30));
        var print = new TradePrint(Call, 5.2, 15, AggressorSide.Buy, Open);
        var unsigned = new TradePrint(Put, 3.1, 4, AggressorSide.Unknown, Open);

        var withPrints = tape.Apply(Snapshot(Open, Contract(Call, 500, 5.0, 5.2, 5.2)) with { Prints = [print, unsigned] });
        var derived = tape.Apply(Snapshot(Open.AddMinutes(1), Contract(Call, 530, 5.0, 5.2, 5.2)));

        Assert.That(withPrints.Snapshot!.Prints, Is.EqualTo(new[] { print, unsigned }));
        Assert.That(withPrints.Snapshot.Flow, Is.EqualTo(new SnapshotFlow(FlowOrigins.Prints, 4)));
        Assert.That((derived.Snapshot!.Flow!.DerivedFrom, derived.Snapshot.Prints.Single().Size), Is.EqualTo((FlowOrigins.VolumeDelta, 30L)));
    }

    [Test]
    public void AContractNewToTheChain_HasNoBaseline_AndAddsNoTrade()
    {
        var tape = new FlowTape(TimeSpan.FromMinutes(30));
        tape.Apply(Snapshot(Open, Contract(Call, 500, 5.0, 5.2, 5.2)));

        var outcome = tape.Apply(Snapshot(Open.AddMinutes(1), Contract(Call, 500, 5.0, 5.2, 5.2), Contract(Other, 800, 1.0, 1.2, 1.2)));

        Assert.That(outcome.Snapshot!.Prints, Is.Empty);
    }

    [Test]
    public void AnInterval_SumsItsTrades_WithTheirDeltaAndLiquidityAtTheSnapshot()
    {
        var tape = new FlowTape(TimeSpan.FromMinutes(30));
        var greeks = new ProviderGreeks(0.5, 0.02, null, null, null);
        tape.Apply(Snapshot(Open, Contract(Call, 500, 5.0, 5.2, 5.1) with { Greeks = greeks }, Contract(Put, 300, 2.0, 2.2, 2.1) with { Greeks = greeks with { Delta = -0.4 } }));

        // 40 calls bought at 5.20 (delta 0.5, mid 5.10, spread 0.20); 150 puts sold at 2.00 (delta −0.4, mid 2.10, spread 0.20).
        var interval = tape.Apply(Snapshot(Open.AddMinutes(1),
            Contract(Call, 540, 5.0, 5.2, 5.2) with { Greeks = greeks }, Contract(Put, 450, 2.0, 2.2, 2.0) with { Greeks = greeks with { Delta = -0.4 } })).Snapshot!.Flow!.Intervals!.Single();

        var callL = 1 / (0.2 / 5.1);
        var putL = 1 / (0.2 / 2.1);
        Assert.That(interval.CallPremium, Is.EqualTo(40 * 5.2 * 100).Within(1e-9), "+20,800 $ of calls bought");
        Assert.That(interval.PutPremium, Is.EqualTo(-150 * 2.0 * 100).Within(1e-9), "−30,000 $: puts sold");
        Assert.That(interval.NetVolume, Is.EqualTo(40 - 150));
        Assert.That(interval.DeltaFlow, Is.EqualTo(40 * 0.5 * 100 + -1 * -0.4 * 150 * 100).Within(1e-9), "2,000 + 6,000 share-equivalents bought");
        Assert.That(interval.DirectionalVolume, Is.EqualTo(40 + 150), "calls bought and puts sold are both bullish");
        Assert.That(interval.DeltaWeighted, Is.EqualTo(40 * 0.5 + 150 * 0.4).Within(1e-9));
        Assert.That(interval.LiquidityWeighted, Is.EqualTo(40 * callL + 150 * putL).Within(1e-9));
        Assert.That(interval.Liquidity, Is.EqualTo(40 * callL + 150 * putL).Within(1e-9));
        Assert.That(interval.LargeTrades.Select(t => t.Size), Is.EqualTo(new[] { 150L }), "trades of 100 contracts or more are kept one by one");
    }

    [Test]
    public void WithoutAProviderDelta_TheDeltaComesFromTheImpliedVolatility()
    {
        var contract = Contract(Call, 1, 5.0, 5.2, 5.1); // strike 600, IV 20 %, spot 600, expiry 2026-12-18
        var years = HuiHui.Modules.Shared.Pricing.ExpiryClock.YearsTo(Open, contract.Expiry);

        Assert.That(FlowTape.DeltaOf(contract, 600, Open), Is.EqualTo(HuiHui.Modules.Shared.Pricing.BlackScholes.Delta(OptionRight.Call, 600, 600, years, 0, 0, 0.2)).Within(1e-12));
        Assert.That(FlowTape.DeltaOf(contract with { ImpliedVol = null }, 600, Open), Is.Zero, "no delta and no volatility: no delta weight");
        Assert.That(FlowTape.DeltaOf(contract with { Greeks = new ProviderGreeks(0.61, null, null, null, null) }, 600, Open), Is.EqualTo(0.61));
    }

    [Test]
    public void PartialPrints_KeepTheirContracts_AndTheOthersAreDerived()
    {
        var tape = new FlowTape(TimeSpan.FromMinutes(30));
        tape.Apply(Snapshot(Open, Contract(Call, 500, 5.0, 5.2, 5.2), Contract(Put, 300, 3.0, 3.2, 3.0)));
        var streamed = new TradePrint(Call, 5.2, 15, AggressorSide.Buy, Open.AddSeconds(40));
        var unsigned = new TradePrint(Call, 5.1, 3, AggressorSide.Unknown, Open.AddSeconds(50));

        // The call's +40 is told by the stream's prints; the put's +25 at the bid is derived as a sale.
        var outcome = tape.Apply(Snapshot(Open.AddMinutes(1), Contract(Call, 540, 5.0, 5.2, 5.2), Contract(Put, 325, 3.0, 3.2, 3.0))
            with { Prints = [streamed, unsigned], Flow = new SnapshotFlow(FlowOrigins.Prints, 0, PartialPrints: true) });

        var flow = outcome.Snapshot!.Flow!;
        Assert.That(outcome.Snapshot.Prints, Is.EqualTo(new[] { streamed, unsigned }));
        Assert.That((flow.DerivedFrom, flow.PartialPrints, flow.UnclassifiedVolume), Is.EqualTo((FlowOrigins.Prints, true, 3L)));
        Assert.That(flow.Intervals!.Single().NetVolume, Is.EqualTo(-25), "only the put, which had no print, is derived");
        Assert.That(flow.Note, Does.StartWith("prints for 1 streamed contract(s)"));
    }
}
