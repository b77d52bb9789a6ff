using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Monitoring;

public sealed class RetentionTests : DatabaseTest
{
    [Test]
    public async Task Retention_RemovesOnlyWhatIsOlderThanItsWindow()
    {
        await using var services = ModuleServices.Build(new Dictionary<string, string?>
        {
            ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Monitoring:Retention:RawArchiveDays"] = "90",
            ["HuiHui:Monitoring:Retention:StatsDays"] = "30",
            ["HuiHui:Monitoring:Retention:ResolvedAlertsDays"] = "60",
        });
        var now = services.Time.GetUtcNow();
        string At(int daysAgo) => $"'{now.AddDays(-daysAgo):O}'::timestamptz";
        foreach (var days in new[] { 10, 89, 91, 400 })
        {
            await Sql.ExecuteAsync($"""
                INSERT INTO market_data.options_chain (occ_symbol, as_of, underlying, expiry, strike, "right", volume, open_interest, underlying_price, source)
                VALUES ('SPY261218C00600000', {At(days)}, 'SPY', '2026-12-18', 600, 'C', 0, 0, 600, 'test');
                INSERT INTO market_data.underlying_ohlc (symbol, "interval", ts, open, high, low, close, volume, source, ingested_at)
                VALUES ('SPY', '1m', {At(days)}, 1, 1, 1, 1, 0, 'test', now()), ('SPY', '1d', {At(days)}, 1, 1, 1, 1, 0, 'test', now());
                INSERT INTO usage_stats.orchestrator_stats (cycle_id, symbol, stage, latency_ms, item_count, occurred_at)
                VALUES (gen_random_uuid(), 'SPY', 'total', 1, 0, {At(days)});
                INSERT INTO system_health.alerts (severity, source, code, message, first_seen, last_seen, count, resolved_at)
                VALUES ('Warning', 'test', 'resolved-{days}', 'x', {At(days)}, {At(days)}, 1, {At(days)}),
                       ('Warning', 'test', 'open-{days}', 'x', {At(days)}, {At(days)}, 1, NULL);
                """);
        }

        await using var scope = services.Provider.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ApplyRetention());

        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.options_chain"), Is.EqualTo(2), "10 and 89 days old stay");
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.underlying_ohlc WHERE \"interval\" = '1m'"), Is.EqualTo(2));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.underlying_ohlc WHERE \"interval\" = '1d'"), Is.EqualTo(4), "daily history is kept");
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM usage_stats.orchestrator_stats"), Is.EqualTo(1), "only the 10-day-old row is within 30 days");
        Assert.That(await Sql.ScalarAsync<string[]>("SELECT array_agg(code ORDER BY code) FROM system_health.alerts"),
            Is.EqualTo(new[] { "open-10", "open-400", "open-89", "open-91", "resolved-10" }), "open alerts are never deleted");
        Assert.That(report.RowsDeleted["market_data.options_chain"], Is.EqualTo(2));
    }
}
