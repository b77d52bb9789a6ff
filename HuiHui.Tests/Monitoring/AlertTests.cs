using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Monitoring;

public sealed class AlertTests : DatabaseTest
{
    [Test]
    public async Task RepeatedAlerts_DeduplicateIntoOneRowWithACount_EvenWhenRaisedTogether()
    {
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Testing.SendAsync(new RaiseAlert("ingestion", "provider-down:tradier", AlertSeverity.Warning, $"attempt {i}"))));

        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM system_health.alerts"), Is.EqualTo(1));
        Assert.That(await Sql.ScalarAsync<int>("SELECT count FROM system_health.alerts"), Is.EqualTo(10));
        Assert.That(await Sql.ScalarAsync<bool>("SELECT last_seen >= first_seen FROM system_health.alerts"), Is.True);
    }

    [Test]
    public async Task Resolve_ClosesTheOpenAlert_AndANewOccurrenceOpensAFreshOne()
    {
        await Testing.SendAsync(new RaiseAlert("cache", "disk-degraded", AlertSeverity.Warning, "disk full"));
        await Testing.SendAsync(new ResolveAlert("cache", "disk-degraded"));
        await Testing.SendAsync(new ResolveAlert("cache", "disk-degraded")); // nothing open: a no-op
        await Testing.SendAsync(new RaiseAlert("cache", "disk-degraded", AlertSeverity.Critical, "disk full again"));

        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM system_health.alerts WHERE resolved_at IS NOT NULL"), Is.EqualTo(1));
        Assert.That(await Sql.OpenAlertsAsync("cache", "disk-degraded"), Is.EqualTo(1));
        Assert.That(await Sql.ScalarAsync<string>("SELECT severity FROM system_health.alerts WHERE resolved_at IS NULL"), Is.EqualTo("Critical"));
    }

    [Test]
    public void Alert_WithoutACode_IsRefused()
    {
        Assert.That(() => Testing.SendAsync(new RaiseAlert("cache", "", AlertSeverity.Warning, "x")),
            Throws.TypeOf<RequestValidationException>().With.Message.Contains("Code"));
    }
}
