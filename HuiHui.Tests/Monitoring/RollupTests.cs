using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Monitoring;

public sealed class RollupTests : DatabaseTest
{
    [Test]
    public async Task HourlyRollups_GivePercentilesPerStageAndUsagePerHour()
    {
        var hour = new DateTimeOffset(2026, 11, 24, 14, 0, 0, TimeSpan.Zero);
        await Sql.ExecuteAsync($"""
            INSERT INTO usage_stats.orchestrator_stats (cycle_id, symbol, stage, latency_ms, item_count, occurred_at)
            SELECT gen_random_uuid(), 'SPY', 'total', i, 0, '{hour:O}'::timestamptz + make_interval(secs => i) FROM generate_series(1, 100) i;
            INSERT INTO usage_stats.orchestrator_stats (cycle_id, symbol, stage, latency_ms, item_count, occurred_at)
            VALUES (gen_random_uuid(), 'SPY', 'total', 5, 0, '{hour.AddHours(1):O}');
            INSERT INTO usage_stats.huihui_usage (occurred_at, kind, name, model, prompt_tokens, completion_tokens, latency_ms, success, error)
            VALUES ('{hour.AddMinutes(5):O}', 'llm', 'meta-narrative', 'm', 100, 20, 800, true, NULL),
                   ('{hour.AddMinutes(6):O}', 'llm', 'meta-narrative', 'm', NULL, NULL, 4000, false, 'timeout');
            """);

        var nothingYet = await Testing.SendAsync(new GetHourlyRollups(hour, hour.AddHours(2)));
        await Testing.SendAsync(new RollUpHours(hour, hour.AddHours(1)));
        var rollups = await Testing.SendAsync(new GetHourlyRollups(hour, hour.AddHours(2)));

        // A late row in a rolled-up hour is counted when the hour is rolled up again (the writer redoes the last two each minute).
        await Sql.ExecuteAsync($"""
            INSERT INTO usage_stats.orchestrator_stats (cycle_id, symbol, stage, latency_ms, item_count, occurred_at)
            VALUES (gen_random_uuid(), 'SPY', 'total', 7, 0, '{hour.AddHours(1).AddMinutes(30):O}');
            """);
        await Testing.SendAsync(new RollUpHours(hour.AddHours(1), hour.AddHours(1)));
        var again = await Testing.SendAsync(new GetHourlyRollups(hour, hour.AddHours(2)));

        Assert.That(nothingYet.Stages, Is.Empty, "the hub reads stored rollups only");
        Assert.That(again.Stages.Select(s => (s.Hour, s.Count)), Is.EqualTo(new[] { (hour, 100L), (hour.AddHours(1), 2L) }));
        Assert.That(again.Stages[1].Max, Is.EqualTo(7));

        Assert.That(rollups.Stages.Select(s => (s.Hour, s.Stage, s.Count)), Is.EqualTo(new[] { (hour, "total", 100L), (hour.AddHours(1), "total", 1L) }));
        Assert.That(rollups.Stages[0].P50, Is.EqualTo(50.5).Within(1e-9));
        Assert.That(rollups.Stages[0].P99, Is.EqualTo(99.01).Within(1e-9));
        Assert.That(rollups.Stages[0].Max, Is.EqualTo(100));
        Assert.That(rollups.Usage.Single(), Is.EqualTo(new UsageHour(hour, "llm", "meta-narrative", 2, 1, 100, 20, 2400)));
        Assert.That(() => Testing.SendAsync(new GetHourlyRollups(hour, hour)), Throws.TypeOf<RequestValidationException>().With.Message.Contains("after 'From'"));
    }
}
