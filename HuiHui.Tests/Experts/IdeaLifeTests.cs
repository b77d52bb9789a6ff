using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Ideas;
using HuiHui.Modules.Experts.Meta;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static HuiHui.Tests.Experts.TradeIdeaTests;

namespace HuiHui.Tests.Experts;

/// <summary>An idea stored once, marked to market, closed at its target, and an opposite idea closing the one before it.</summary>
public sealed class IdeaLifeTests : DatabaseTest
{
    private static ChainSnapshot At(ChainSnapshot first, TimeSpan later, double spot, params (double Strike, double Bid, double Ask)[] calls) =>
        first with
        {
            AsOf = first.AsOf + later,
            Quote = first.Quote with { Last = spot, AsOf = first.AsOf + later },
            Contracts = [.. first.Contracts.Select(c => calls.FirstOrDefault(q => c.Right == OptionRight.Call && c.Expiry == Mid && q.Strike == c.Strike) is { Strike: > 0 } q
                ? c with { Bid = q.Bid, Ask = q.Ask } : c)],
        };

    [Test]
    public async Task Ideas_AreStoredOnce_MarkedEachSnapshot_ClosedAtTarget_AndByAnOppositeIdea_ThenScored()
    {
        var puts = new[] { Contract(OptionRight.Put, Near, 100, -0.55, 2.0, 2.2), Contract(OptionRight.Put, Near, 95, -0.30, 0.9, 1.0) };
        var (snapshot, metrics) = Market([.. Calls, .. puts]);
        var spread = TradeIdeas.Build(snapshot, metrics, DailyBars(), Meta(metrics, "call debit spread", 0.7), null, 0.2, 0.04, 0).Idea!;
        var tracker = Testing.Factory.Services.GetRequiredService<IdeaTracker>();
        MetaResponse With(TradeIdea? idea) => Meta(metrics, idea?.Strategy ?? "none", 0.7) with { Idea = idea };

        await tracker.TrackAsync(snapshot, With(spread), null, CancellationToken.None);
        // An hour later, spot 101, the same strategy proposed again with its short strike drifted to 110: not a new idea; the
        // stored one is marked.
        // Mid now 4.50 − 2.20 = 2.30 against 2.00 paid: +30 per unit; natural exit 4.40 − 2.30 = 2.10 against 2.20: −10.
        var drifted = spread with { Legs = [spread.Legs[0], spread.Legs[1] with { Strike = 110, OccSymbol = OccSymbol.Format("XYZ", Mid, OptionRight.Call, 110) }] };
        await tracker.TrackAsync(At(snapshot, TimeSpan.FromHours(1), 101, (100, 4.4, 4.6), (105, 2.1, 2.3)), With(drifted), null, CancellationToken.None);
        var marked = await Testing.SendAsync(new GetIdeaRecord("XYZ", DateTimeOffset.UnixEpoch, AsOf.AddDays(1)));

        Assert.That(marked.Open, Has.Count.EqualTo(1));
        Assert.That(marked.Open[0].Pnl, Is.EqualTo(30).Within(1e-9));
        Assert.That(marked.Open[0].PnlNatural, Is.EqualTo(-10).Within(1e-9));
        Assert.That(marked.Open[0].R, Is.EqualTo(0.15).Within(1e-9), "30 over the planned risk of 200");

        // Two hours in, spot 102.60 passes the first target (102.50): closed, (5.50 − 3.00 − 2.00) × 100 = +50, R 0.25.
        await tracker.TrackAsync(At(snapshot, TimeSpan.FromHours(2), 102.6, (100, 5.4, 5.6), (105, 2.9, 3.1)), With(null), null, CancellationToken.None);

        // A bearish idea, then the bullish spread again: the puts are closed as "opposite" and the spread opened.
        var puts3h = At(snapshot, TimeSpan.FromHours(3), 100);
        var longPuts = TradeIdeas.Build(puts3h, metrics, DailyBars(), Meta(metrics, "long puts", 0.7, Bias.Bearish), null, 0.2, 0.04, 0).Idea!;
        await tracker.TrackAsync(puts3h, With(longPuts), null, CancellationToken.None);
        await tracker.TrackAsync(At(snapshot, TimeSpan.FromHours(4), 100), With(spread), null, CancellationToken.None);
        var record = await Testing.SendAsync(new GetIdeaRecord("XYZ", DateTimeOffset.UnixEpoch, AsOf.AddDays(1)));

        Assert.That(record.Closed.Select(i => (i.Idea.Strategy, i.Outcome)), Is.EqualTo(new[] { ("long puts", "opposite"), ("call debit spread", "target") }));
        var target = record.Closed[1];
        Assert.That(target.Pnl, Is.EqualTo(50).Within(1e-9));
        Assert.That(target.PnlNatural, Is.EqualTo(10).Within(1e-9), "(5.40 − 3.10 − 2.20) × 100");
        Assert.That(target.R, Is.EqualTo(0.25).Within(1e-9));
        Assert.That(target.ExitSpot, Is.EqualTo(102.6));
        Assert.That(record.Open.Single().Idea.Strategy, Is.EqualTo("call debit spread"));
        Assert.That(record.Overall.Trades, Is.EqualTo(2));
        Assert.That(record.ByStrategy.Select(s => s.Group), Is.EqualTo(new[] { "call debit spread", "long puts" }));
        Assert.That(record.ByConviction.Single().Group, Is.EqualTo("0.6–0.8"));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM moe_analysis.trade_ideas"), Is.EqualTo(3), "stored when first proposed, not every cycle");

        // The Ideas page shows the record.
        await HubAccounts.EnsureUsersAsync(Testing.Factory.Services);
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);
        var page = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/Ideas?Symbol=xyz"));
        Assert.That(page, Does.Contain("data-testid=\"ideas-scorecard\"").And.Contain("call debit spread").And.Contain("opposite"));
        Assert.That(page, Does.Contain("<td class=\"outcome-target\">target</td>").And.Contain("+50.00").And.Contain("+0.25"));
        Assert.That(page, Does.Contain("Open (1)"));
    }
}
