using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Monitoring;

/// <summary>The queries behind the hub's health panel.</summary>
public sealed class MonitoringQueriesTests : DatabaseTest
{
    [Test]
    public async Task RecentAlerts_ListOpenOnesMostSevereFirst_ThenResolvedOnes_AndTheHealthPageShowsThem()
    {
        await Testing.SendAsync(new RaiseAlert("ingestion", "provider-down:tradier", AlertSeverity.Warning, "Tradier failing"));
        await Testing.SendAsync(new RaiseAlert("cache", "disk-degraded", AlertSeverity.Critical, "disk full"));
        await Testing.SendAsync(new RaiseAlert("learning", "accuracy-drop:flow", AlertSeverity.Info, "flow slipping"));
        await Testing.SendAsync(new RaiseAlert("experts", "spooling", AlertSeverity.Critical, "database down"));
        await Testing.SendAsync(new ResolveAlert("experts", "spooling"));
        await HubAccounts.EnsureUsersAsync(Testing.Factory.Services);
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        var alerts = await Testing.SendAsync(new GetRecentAlerts(10));
        var health = await client.GetStringAsync("/Health");

        Assert.That(alerts.Select(a => a.Code), Is.EqualTo(new[] { "disk-degraded", "provider-down:tradier", "accuracy-drop:flow", "spooling" }));
        Assert.That(alerts[^1].ResolvedAt, Is.Not.Null);
        Assert.That(health, Does.Contain("disk full").And.Contain("Tradier failing").And.Not.Contain("Unavailable"));
    }

    [Test]
    public async Task Uptime_CountsMinutesWithABeat_AndShowsTheLastBeatOfThisProcess()
    {
        await Sql.ExecuteAsync("INSERT INTO system_health.uptime_logs (component, heartbeat_at, status) SELECT 'ingestion-loop', now() - make_interval(mins => g), 'ok' FROM generate_series(1, 10) g");
        await Testing.SendAsync(new RecordHeartbeat("ingestion-loop", "ok", "cycle 7"));

        var uptime = await Testing.SendAsync(new GetUptime(TimeSpan.FromHours(1)));

        var loop = uptime.Single(u => u.Component == "ingestion-loop");
        Assert.That(loop.MinutesUp, Is.EqualTo(10));
        Assert.That(loop.MinutesObserved, Is.InRange(10, 11));
        Assert.That(loop.Detail, Is.EqualTo("cycle 7"));
        Assert.That(loop.Ratio, Is.GreaterThan(0.9));
    }
}
