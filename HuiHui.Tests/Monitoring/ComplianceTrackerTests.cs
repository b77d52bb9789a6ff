using HuiHui.Modules.Monitoring.Compliance;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Monitoring.Features;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Monitoring;

public sealed class ComplianceTrackerTests : DatabaseTest
{
    private static Dictionary<string, string?> Settings() => new()
    {
        ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
        ["HuiHui:Experts:SpoolPath"] = CacheHarness.NewFolder(),
        ["HuiHui:Ingestion:Enabled"] = "false",
        ["HuiHui:Monitoring:Compliance:ExpectedComponents:0"] = Components.IngestionLoop,
        ["HuiHui:Monitoring:Compliance:ExpectedComponents:1"] = Components.Orchestrator,
    };

    private static async Task BeatAsync(ModuleServices services, string component)
    {
        await using var scope = services.Provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RecordHeartbeat(component));
    }

    [Test]
    public async Task Tracker_RaisesAlertsForSilentComponentsAndSlowStages_AndResolvesThemWhenTheyRecover()
    {
        await using var services = ModuleServices.Build(Settings());
        var tracker = services.Get<ComplianceTracker>();
        await BeatAsync(services, Components.IngestionLoop);
        await Sql.ExecuteAsync($"""
            INSERT INTO usage_stats.orchestrator_stats (cycle_id, symbol, stage, latency_ms, item_count, occurred_at)
            SELECT gen_random_uuid(), 'SPY', 'total', 2000, 0, '{services.Time.GetUtcNow():O}'::timestamptz FROM generate_series(1, 20)
            """);

        services.Time.Advance(TimeSpan.FromMinutes(4));
        await tracker.EvaluateAsync(CancellationToken.None);

        Assert.That(await Sql.OpenAlertsAsync("compliance", "heartbeat-missing:ingestion-loop"), Is.EqualTo(1), "silent for 4 minutes");
        Assert.That(await Sql.OpenAlertsAsync("compliance", "heartbeat-missing:orchestrator"), Is.EqualTo(1), "never beat");
        Assert.That(await Sql.OpenAlertsAsync("compliance", "latency-budget:total"), Is.EqualTo(1));

        await BeatAsync(services, Components.IngestionLoop);
        await BeatAsync(services, Components.Orchestrator);
        services.Time.Advance(TimeSpan.FromMinutes(6)); // the slow cycles leave the 5-minute window
        await BeatAsync(services, Components.IngestionLoop);
        await BeatAsync(services, Components.Orchestrator);
        await tracker.EvaluateAsync(CancellationToken.None);

        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM system_health.alerts WHERE source = 'compliance' AND resolved_at IS NULL"), Is.Zero);
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM system_health.alerts WHERE source = 'compliance' AND resolved_at IS NOT NULL"), Is.EqualTo(3));
    }

    [Test]
    public async Task Heartbeats_AreWrittenOncePerMinutePerComponent()
    {
        await using var services = ModuleServices.Build(Settings());
        var writer = services.Get<UptimeWriter>();

        await BeatAsync(services, Components.IngestionLoop);
        await BeatAsync(services, Components.IngestionLoop);
        await BeatAsync(services, Components.Orchestrator);
        await writer.WriteOnceAsync(CancellationToken.None);
        await writer.WriteOnceAsync(CancellationToken.None); // nothing new since
        services.Time.Advance(TimeSpan.FromMinutes(1));
        await BeatAsync(services, Components.IngestionLoop);
        await writer.WriteOnceAsync(CancellationToken.None);

        var rows = await Sql.ScalarAsync<string[]>("SELECT array_agg(component ORDER BY heartbeat_at, component) FROM system_health.uptime_logs");
        Assert.That(rows, Is.EqualTo(new[] { Components.IngestionLoop, Components.Orchestrator, Components.IngestionLoop }));
    }
}
