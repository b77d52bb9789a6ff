using HuiHui.Modules.Learning.Contracts;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Learning;

public sealed class ScorecardTests : DatabaseTest
{
    /// <summary>
    /// Examples n = from..to: direction +1; flow says +1 (right) when flowRight, else −1; meta always right; confidences 0.5.
    /// </summary>
    private static Task AddExamplesAsync(int from, int to, bool flowRight) => Sql.ExecuteAsync($"""
        WITH v AS (
            INSERT INTO training.feature_vectors (symbol, as_of, schema_version, "values", regime, created_at)
            SELECT 'SPY', '2026-11-24T00:00:00Z'::timestamptz + make_interval(mins => n), 1,
                   array_fill('NaN'::real, ARRAY[26]), CASE WHEN n % 2 = 0 THEN 'RangeBound' ELSE 'LowVolUptrend' END, now()
            FROM generate_series({from}, {to}) n
            RETURNING id, as_of)
        INSERT INTO training.labeled_examples (feature_vector_id, symbol, as_of, horizon_seconds, forward_return, direction, expert_outcomes, labeled_at)
        SELECT id, 'SPY', as_of, 900, 0.01, 1, jsonb_build_object(), now() FROM v;
        UPDATE training.feature_vectors SET "values"[1] = {(flowRight ? "0.4" : "-0.4")}, "values"[2] = 0.5, "values"[13] = 0.3, "values"[14] = 0.5
        WHERE as_of >= '2026-11-24T00:00:00Z'::timestamptz + make_interval(mins => {from});
        """);

    [Test]
    public async Task Scorecards_MeasureEachExpert_AndAlertWhenRecentAccuracyDrops()
    {
        await AddExamplesAsync(0, 199, flowRight: true);
        await AddExamplesAsync(200, 299, flowRight: false);

        var cards = await Testing.SendAsync(new RefreshScorecards(TimeSpan.FromMinutes(15)));

        var flow = cards.Single(c => c.Expert == "flow" && c.Regime is null);
        Assert.That((flow.Examples, flow.HitRate, flow.RollingHitRate), Is.EqualTo((300, 200.0 / 300, 0.0)));
        Assert.That(flow.Brier, Is.EqualTo((200 * 0.0625 + 100 * 0.5625) / 300).Within(1e-12), "p = 0.75 at confidence 0.5");
        Assert.That(flow.Calibration[2], Is.EqualTo(200.0 / 300), "all in the 0.5–0.75 bucket");
        Assert.That(cards.Single(c => c.Expert == "meta" && c.Regime is null).HitRate, Is.EqualTo(1));
        Assert.That(cards.Where(c => c.Expert == "flow" && c.Regime is not null).Select(c => c.Regime), Is.EquivalentTo(new[] { "LowVolUptrend", "RangeBound" }));
        Assert.That(await Sql.OpenAlertsAsync("learning", "accuracy-drop:flow"), Is.EqualTo(1));
        Assert.That(await Sql.OpenAlertsAsync("learning", "accuracy-drop:meta"), Is.Zero);

        await AddExamplesAsync(300, 399, flowRight: true);
        await Testing.SendAsync(new RefreshScorecards(TimeSpan.FromMinutes(15)));

        Assert.That(await Sql.OpenAlertsAsync("learning", "accuracy-drop:flow"), Is.Zero, "recovered");
        var query = await Testing.SendAsync(new GetExpertScorecards(TimeSpan.FromMinutes(15), "SPY"));
        Assert.That(query.Single(c => c.Expert == "flow" && c.Regime is null).Examples, Is.EqualTo(400));
    }
}
