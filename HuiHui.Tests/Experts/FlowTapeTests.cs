using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Experts;

/// <summary>The flow tape: the cached snapshot's trades, blocks and sweeps marked as the flow counts them, filtered and ordered.</summary>
public sealed class FlowTapeTests : DatabaseTest
{
    [Test]
    public async Task TheTape_MarksBlocksAndSweeps_FiltersAndOrders_AndSaysWhenNothingIsCached()
    {
        var at = new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);
        var call = OccSymbol.Format("TAPE", new DateOnly(2026, 12, 18), OptionRight.Call, 100);
        var put = OccSymbol.Format("TAPE", new DateOnly(2026, 12, 18), OptionRight.Put, 95);
        TradePrint Print(string occ, double price, long size, AggressorSide side, double seconds) => new(occ, price, size, side, at.AddSeconds(seconds));
        var prints = new[]
        {
            // Three bought calls within two seconds, 40 + 40 + 30 = 110 contracts: a sweep (3 prints, ≥ 100 contracts).
            Print(call, 2.00, 40, AggressorSide.Buy, 0), Print(call, 2.05, 40, AggressorSide.Buy, 0.5), Print(call, 2.10, 30, AggressorSide.Buy, 1.5),
            // A block of 600 puts sold at 1.50: premium 90,000.
            Print(put, 1.50, 600, AggressorSide.Sell, 10),
            // Two calls bought 30 s apart: no sweep. One print of unknown side.
            Print(call, 2.20, 10, AggressorSide.Buy, 40), Print(call, 2.25, 10, AggressorSide.Buy, 70), Print(put, 1.40, 5, AggressorSide.Unknown, 80),
        };
        var snapshot = new ChainSnapshot("TAPE", at.AddMinutes(2), "file", new UnderlyingQuote("TAPE", 100, null, null, null, null, null, null, 0, at.AddMinutes(2)),
            [], prints, [], [], [], new SnapshotFlow(FlowOrigins.Prints, 5));
        await Testing.Factory.Services.GetRequiredService<IEnhancedCache>().SetAsync(MarketDataKeys.Snapshot("TAPE"), snapshot);

        var byPremium = await Testing.SendAsync(new GetFlowTape("tape"));
        var newestBuys = await Testing.SendAsync(new GetFlowTape("TAPE", TapeOrder.Newest, AggressorSide.Buy, OptionRight.Call));
        var large = await Testing.SendAsync(new GetFlowTape("TAPE", TapeOrder.Size, MinPremium: 5_000, Limit: 1));
        var none = await Testing.SendAsync(new GetFlowTape("NOTHERE"));

        Assert.That(byPremium!.Trades.Select(t => (t.Premium, t.Block, t.Sweep)), Is.EqualTo(new[]
        {
            (90_000.0, true, false), (8_200.0, false, true), (8_000.0, false, true), (6_300.0, false, true), (2_250.0, false, false), (2_200.0, false, false), (700.0, false, false),
        }));
        Assert.That((byPremium.Total, byPremium.DerivedFrom, byPremium.Trades[0].Right, byPremium.Trades[0].Strike), Is.EqualTo((7, "prints", OptionRight.Put, 95.0)));
        Assert.That(newestBuys!.Trades.Select(t => t.Time), Is.EqualTo(new[] { at.AddSeconds(70), at.AddSeconds(40), at.AddSeconds(1.5), at.AddSeconds(0.5), at }));
        Assert.That((large!.Total, large.Trades.Single().Size), Is.EqualTo((4, 600L)), "four of at least 5,000 $; the largest shown");
        Assert.That(none, Is.Null);
        Assert.That(() => Testing.SendAsync(new GetFlowTape("TAPE", MinPremium: -1)), Throws.TypeOf<RequestValidationException>());
    }
}
