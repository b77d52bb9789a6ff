using System.Net;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Experts;

public sealed class HistoryPagingTests : DatabaseTest
{
    private static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task History_PagesByKeyset_OlderThenNewer_WithoutGapsOrRepeats()
    {
        // Seven SPY cycles an hour apart across a day boundary (two partitions), the meta and regime answering in each, and QQQ beside.
        await Sql.ExecuteAsync("""
            INSERT INTO moe_analysis.expert_responses (id, cycle_id, expert_id, symbol, details, confidence, as_of, created_at, call)
            SELECT gen_random_uuid(), gen_random_uuid(), e, s, '{}', 0.5, t, now(), e || ' call ' || to_char(t, 'HH24')
            FROM generate_series('2026-11-20 20:00+00'::timestamptz, '2026-11-21 02:00+00', interval '1 hour') t,
                 unnest(ARRAY['meta', 'regime']) e, unnest(ARRAY['SPY', 'QQQ']) s;
            """);

        var newest = await Testing.SendAsync(new GetExpertHistory("spy", null, From, To, PageSize: 5));
        var older = await Testing.SendAsync(new GetExpertHistory("SPY", null, From, To, newest.Older, PageSize: 5));
        var oldest = await Testing.SendAsync(new GetExpertHistory("SPY", null, From, To, older.Older, PageSize: 5));
        var backNewer = await Testing.SendAsync(new GetExpertHistory("SPY", null, From, To, oldest.Newer, Newer: true, PageSize: 5));
        var metaOnly = await Testing.SendAsync(new GetExpertHistory("SPY", "meta", From, To, PageSize: 50));

        var all = newest.Rows.Concat(older.Rows).Concat(oldest.Rows).ToList();
        Assert.That(all, Has.Count.EqualTo(14), "every SPY response once");
        Assert.That(all.Select(r => r.Id).Distinct().Count(), Is.EqualTo(14));
        Assert.That(all.Select(r => r.AsOf), Is.Ordered.Descending);
        Assert.That(all, Has.All.Matches<ExpertHistoryRow>(r => r.Symbol == "SPY" && r.Details == null));
        Assert.That(newest.Rows[0].AsOf, Is.EqualTo(new DateTimeOffset(2026, 11, 21, 2, 0, 0, TimeSpan.Zero)));
        Assert.That(newest.Newer, Is.Null, "nothing is newer than the first page");
        Assert.That(oldest.Rows, Has.Count.EqualTo(4));
        Assert.That(oldest.Older, Is.Null, "nothing is older than the last page");
        Assert.That(backNewer.Rows.Select(r => r.Id), Is.EqualTo(older.Rows.Select(r => r.Id)), "newer from the last page is the page before it");
        Assert.That(backNewer.Newer, Is.Not.Null);
        Assert.That(metaOnly.Rows.Select(r => r.Call), Is.EqualTo(new[] { "02", "01", "00", "23", "22", "21", "20" }.Select(h => "meta call " + h)));
        Assert.That(metaOnly.Older, Is.Null);
    }

    [Test]
    public async Task HistoryPage_LinksOlderAndNewer_AndRefusesABrokenLink()
    {
        await Sql.ExecuteAsync("""
            INSERT INTO moe_analysis.expert_responses (id, cycle_id, expert_id, symbol, details, confidence, as_of, created_at, call)
            SELECT gen_random_uuid(), gen_random_uuid(), 'flow', 'SPY', '{"bias":"Bullish"}', 0.5, t, now(), 'Bullish · score 0.50'
            FROM generate_series('2026-11-20 00:00+00'::timestamptz, '2026-11-20 00:59+00', interval '1 minute') t;
            """);
        await HubAccounts.EnsureUsersAsync(Testing.Factory.Services);
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        var first = await client.GetStringAsync("/History?Symbol=SPY");
        var olderHref = WebUtility.HtmlDecode(Href(first, "history-next"));
        var second = await client.GetStringAsync(olderHref);
        var broken = await client.GetStringAsync("/History?Symbol=SPY&Before=yesterday");

        Assert.That(first, Does.Contain("50 responses, 2026-11-20 00:59:00 back to 2026-11-20 00:10:00").And.Contain("the newest"));
        Assert.That(first, Does.Not.Contain("data-testid=\"history-prev\""));
        Assert.That(second, Does.Contain("10 responses, 2026-11-20 00:09:00 back to 2026-11-20 00:00:00"));
        Assert.That(second, Does.Contain("data-testid=\"history-prev\"").And.Not.Contain("data-testid=\"history-next\""));
        Assert.That(broken, Does.Contain("data-testid=\"history-problem\"").And.Contain("The page link is not valid"));
    }

    private static string Href(string html, string testId)
    {
        var at = html.IndexOf($"data-testid=\"{testId}\"", StringComparison.Ordinal);
        var start = html.LastIndexOf("href=\"", at, StringComparison.Ordinal) + 6;
        return html[start..html.IndexOf('"', start)];
    }
}

public sealed class AnalysisRollupTests : DatabaseTest
{
    [Test]
    public async Task AnalysisRollups_GiveCallsConvictionRegimeShareGexAndFlipPerHour()
    {
        // Hour 14: three cycles (2 bullish, 1 bearish; conviction 0.2, 0.4, 0.9), regimes named twice and unnamed once.
        // Hour 15: one neutral cycle and no regime answer. Hand-computed figures below.
        await Sql.ExecuteAsync("""
            INSERT INTO moe_analysis.expert_responses (id, cycle_id, expert_id, symbol, details, confidence, as_of, created_at) VALUES
            (gen_random_uuid(), gen_random_uuid(), 'meta', 'SPY', '{"bias":"Bullish"}', 0.2, '2026-11-20 14:01+00', now()),
            (gen_random_uuid(), gen_random_uuid(), 'meta', 'SPY', '{"bias":"Bullish"}', 0.4, '2026-11-20 14:21+00', now()),
            (gen_random_uuid(), gen_random_uuid(), 'meta', 'SPY', '{"bias":"Bearish"}', 0.9, '2026-11-20 14:41+00', now()),
            (gen_random_uuid(), gen_random_uuid(), 'regime', 'SPY', '{"regime":"Trending","name":"Momentum Acceleration","evidence":{"gexTotal":100,"zeroGammaDistance":0.02}}', 0.5, '2026-11-20 14:01+00', now()),
            (gen_random_uuid(), gen_random_uuid(), 'regime', 'SPY', '{"regime":"Trending","name":"Momentum Acceleration","evidence":{"gexTotal":-40,"zeroGammaDistance":null}}', 0.5, '2026-11-20 14:21+00', now()),
            (gen_random_uuid(), gen_random_uuid(), 'regime', 'SPY', '{"regime":"RangeBound","evidence":{"gexTotal":240,"zeroGammaDistance":0.04}}', 0.5, '2026-11-20 14:41+00', now()),
            (gen_random_uuid(), gen_random_uuid(), 'meta', 'SPY', '{"bias":"Neutral"}', 0.3, '2026-11-20 15:05+00', now()),
            (gen_random_uuid(), gen_random_uuid(), 'meta', 'QQQ', '{"bias":"Bearish"}', 0.7, '2026-11-20 14:05+00', now());
            """);
        var from = new DateTimeOffset(2026, 11, 20, 14, 0, 0, TimeSpan.Zero);

        await Testing.SendAsync(new RollUpAnalysisHours(from, from.AddHours(1)));
        var hours = await Testing.SendAsync(new GetAnalysisRollups("spy", from, from.AddHours(2)));

        Assert.That(hours.Select(h => (h.Hour, h.Cycles)), Is.EqualTo(new[] { (from, 3L), (from.AddHours(1), 1L) }));
        var h14 = hours[0];
        Assert.That(h14.BullishShare, Is.EqualTo(2.0 / 3).Within(1e-12));
        Assert.That(h14.BearishShare, Is.EqualTo(1.0 / 3).Within(1e-12));
        Assert.That(h14.MeanConviction, Is.EqualTo(0.5).Within(1e-12));
        Assert.That(h14.RegimeShare, Is.EqualTo(new Dictionary<string, double> { ["Momentum Acceleration"] = 2.0 / 3, ["RangeBound"] = 1.0 / 3 }).Within(1e-12));
        Assert.That(h14.MeanGex, Is.EqualTo(100).Within(1e-9), "(100 − 40 + 240) / 3");
        Assert.That(h14.MeanFlipDistance, Is.EqualTo(0.03).Within(1e-12), "the mean of the distances known");
        Assert.That(hours[1].RegimeShare, Is.Empty);
        Assert.That(hours[1].MeanGex, Is.Null);
    }
}
