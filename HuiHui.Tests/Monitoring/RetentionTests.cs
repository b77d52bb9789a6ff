using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Monitoring;

public sealed class RetentionTests : DatabaseTest
{
    [Test]
    public async Task Retention_DropsDayPartitionsPastTheWindowAndKeepsTheRest()
    {
        await using var services = ModuleServices.Build(new Dictionary<string, string?>
        {
            ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Retention:Days:market_data.options_chain"] = "90",
            ["HuiHui:Retention:Days:market_data.underlying_ohlc_intraday"] = "90",
            ["HuiHui:Retention:Days:moe_analysis.expert_responses"] = "90",
            ["HuiHui:Retention:Days:usage_stats.orchestrator_stats"] = "30",
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
                INSERT INTO moe_analysis.expert_responses (id, cycle_id, expert_id, symbol, details, confidence, as_of, created_at)
                VALUES (gen_random_uuid(), gen_random_uuid(), 'meta', 'SPY', '"x"', 0.5, {At(days)}, now());
                INSERT INTO usage_stats.orchestrator_stats (cycle_id, symbol, stage, latency_ms, item_count, occurred_at)
                VALUES (gen_random_uuid(), 'SPY', 'total', 1, 0, {At(days)});
                INSERT INTO system_health.alerts (severity, source, code, message, first_seen, last_seen, count, resolved_at)
                VALUES ('Warning', 'test', 'resolved-{days}', 'x', {At(days)}, {At(days)}, 1, {At(days)}),
                       ('Warning', 'test', 'open-{days}', 'x', {At(days)}, {At(days)}, 1, NULL);
                """);
        }

        // First pass: rows with no day partition yet wait in the default one; those past the window go, the rest move to
        // their day's partition.
        var first = await RetainAsync(services);
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.options_chain"), Is.EqualTo(2), "10 and 89 days old stay");
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.underlying_ohlc WHERE \"interval\" = '1m'"), Is.EqualTo(2));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.underlying_ohlc WHERE \"interval\" = '1d'"), Is.EqualTo(4), "daily history is kept");
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM moe_analysis.expert_responses"), Is.EqualTo(2), "expert responses have a window too");
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM usage_stats.orchestrator_stats"), Is.EqualTo(1), "only the 10-day-old row is within 30 days");
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM ONLY moe_analysis.expert_responses_default"), Is.Zero, "the default partition is drained");
        Assert.That(await Sql.ScalarAsync<string[]>("SELECT array_agg(code ORDER BY code) FROM system_health.alerts"),
            Is.EqualTo(new[] { "open-10", "open-400", "open-89", "open-91", "resolved-10" }), "open alerts are never deleted");
        var chain = first.Partitions.Tables.Single(t => t.Table == "market_data.options_chain");
        Assert.That(chain.DefaultRowsDeleted, Is.EqualTo(2));
        var day89 = DateOnly.FromDateTime(now.AddDays(-89).UtcDateTime);
        var partition89 = $"options_chain_p{day89:yyyyMMdd}";
        Assert.That(chain.Created, Does.Contain(partition89));

        // Two days later the 89-day-old rows are 91 days old: their whole partition is dropped, nothing else is touched.
        services.Time.Advance(TimeSpan.FromDays(2));
        var second = await RetainAsync(services);
        var dropped = second.Partitions.Tables.Single(t => t.Table == "market_data.options_chain").Dropped;
        Assert.That(dropped.Select(d => d.Name), Is.EqualTo(new[] { partition89 }));
        Assert.That(await Sql.ScalarAsync<bool>($"SELECT to_regclass('market_data.{partition89}') IS NULL"), Is.True, "the partition is gone");
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.options_chain"), Is.EqualTo(1), "the 10-day-old row is intact");
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM moe_analysis.expert_responses"), Is.EqualTo(1));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.underlying_ohlc WHERE \"interval\" = '1d'"), Is.EqualTo(4), "daily history is still kept");
        Assert.That(second.Partitions.Tables.Single(t => t.Table == "market_data.options_chain").Created,
            Does.Contain($"options_chain_p{DateOnly.FromDateTime(services.Time.GetUtcNow().UtcDateTime).AddDays(3):yyyyMMdd}"), "partitions are created ahead");
    }

    [Test]
    public async Task Retention_RefusesAWindowForATableThatDoesNotExist()
    {
        await using var services = ModuleServices.Build(new Dictionary<string, string?>
        {
            ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Retention:Days:moe_analysis.expert_response"] = "30",
        });
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            _ = services.Provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HuiHui.Modules.Shared.Contracts.RetentionOptions>>().Value);
        Assert.That(error!.Message, Does.Contain("moe_analysis.expert_response names no time-series table").And.Contain("moe_analysis.expert_responses"));
    }

    private static async Task<RetentionReport> RetainAsync(ModuleServices services)
    {
        await using var scope = services.Provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ApplyRetention());
    }
}
