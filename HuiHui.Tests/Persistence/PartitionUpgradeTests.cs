using System.Text.Json;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Ingestion.Data;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace HuiHui.Tests.Persistence;

/// <summary>An existing database with rows in the plain tables is upgraded to day partitions without losing one.</summary>
public sealed class PartitionUpgradeTests
{
    private static readonly string[] TimeSeries =
    [
        "moe_analysis.expert_responses", "market_data.options_chain", "market_data.underlying_ohlc", "usage_stats.orchestrator_stats",
        "usage_stats.huihui_usage", "system_health.uptime_logs", "training.feature_vectors",
    ];

    [Test]
    public async Task Migrate_MovesEveryRowOfAnExistingDatabaseIntoDayPartitions_ThenDoesNothing()
    {
        var connectionString = await TestDatabase.CreateAsync("huihui_upgrade");
        try
        {
            await using (var dataSource = NpgsqlDataSource.Create(connectionString))
            {
                // The layout before partitioning: every module at its first migration.
                await MigrateToAsync<IngestionDbContext>(dataSource, IngestionDbContext.Schema, "20261124055044_Initial");
                await MigrateToAsync<ExpertsDbContext>(dataSource, ExpertsDbContext.Schema, "20261124055054_Initial");
                await MigrateToAsync<LearningDbContext>(dataSource, LearningDbContext.Schema, "20261124055105_Initial");
                await MigrateToAsync<MonitoringDbContext>(dataSource, MonitoringDbContext.UsageSchema, "20261124055127_Initial");
                await using var insert = dataSource.CreateCommand("""
                    INSERT INTO moe_analysis.expert_responses (id, cycle_id, expert_id, symbol, details, confidence, as_of, created_at)
                    SELECT gen_random_uuid(), gen_random_uuid(), e, 'SPY',
                           CASE e WHEN 'meta' THEN '{"bias":"Bullish","strategy":"call debit spread"}'
                                  WHEN 'regime' THEN '{"regime":"Trending","dealerGamma":"Short"}'
                                  ELSE '{"bias":"Bearish","score":-0.4321}' END::jsonb,
                           0.5, t, t
                    FROM generate_series('2026-11-20 21:00+00'::timestamptz, '2026-11-22 03:00+00', interval '1 hour') t,
                         unnest(ARRAY['meta', 'regime', 'flow']) e;
                    INSERT INTO market_data.options_chain (occ_symbol, as_of, underlying, expiry, strike, "right", volume, open_interest, underlying_price, source)
                    SELECT 'SPY261218C00600000', t, 'SPY', '2026-12-18', 600, 'C', 0, 0, 600, 'test'
                    FROM generate_series('2026-11-20 21:00+00'::timestamptz, '2026-11-22 03:00+00', interval '1 hour') t;
                    INSERT INTO market_data.underlying_ohlc (symbol, "interval", ts, open, high, low, close, volume, source, ingested_at)
                    SELECT 'SPY', i, t, 1, 1, 1, 1, 0, 'test', t
                    FROM generate_series('2026-11-20 21:00+00'::timestamptz, '2026-11-22 03:00+00', interval '1 hour') t, unnest(ARRAY['1m', '1d']) i;
                    INSERT INTO usage_stats.orchestrator_stats (cycle_id, symbol, stage, latency_ms, item_count, occurred_at)
                    SELECT gen_random_uuid(), 'SPY', 'total', 1, 0, t FROM generate_series('2026-11-20 21:00+00'::timestamptz, '2026-11-22 03:00+00', interval '1 hour') t;
                    INSERT INTO usage_stats.huihui_usage (occurred_at, kind, name, latency_ms, success)
                    SELECT t, 'expert', 'flow', 1, true FROM generate_series('2026-11-20 21:00+00'::timestamptz, '2026-11-22 03:00+00', interval '1 hour') t;
                    INSERT INTO system_health.uptime_logs (component, heartbeat_at, status)
                    SELECT 'ingestion', t, 'ok' FROM generate_series('2026-11-20 21:00+00'::timestamptz, '2026-11-22 03:00+00', interval '1 hour') t;
                    INSERT INTO training.feature_vectors (symbol, as_of, schema_version, "values", created_at)
                    SELECT 'SPY', t, 1, ARRAY[1, 2]::real[], t FROM generate_series('2026-11-20 21:00+00'::timestamptz, '2026-11-22 03:00+00', interval '1 hour') t;
                    INSERT INTO training.labeled_examples (feature_vector_id, symbol, as_of, horizon_seconds, forward_return, direction, expert_outcomes, labeled_at)
                    SELECT id, symbol, as_of, 3600, 0.01, 1, '{}', as_of FROM training.feature_vectors;
                    """);
                await insert.ExecuteNonQueryAsync();
            }

            var before = await CountsAsync(connectionString);
            Assert.That(before.Values, Has.All.GreaterThan(0));

            var first = await CliProcess.RunAsync(connectionString, "migrate", "--json");
            Assert.That(first.ExitCode, Is.Zero, first.StandardError);
            var modules = JsonDocument.Parse(first.StandardOutput).RootElement.GetProperty("modules").EnumerateArray()
                .ToDictionary(m => m.GetProperty("module").GetString()!, m => m.GetProperty("applied").EnumerateArray().Select(a => a.GetString()!).ToList());
            foreach (var module in new[] { "ingestion", "experts", "learning", "monitoring" })
            {
                Assert.That(modules[module], Has.One.EndsWith("_Partitioned"), module);
            }

            Assert.That(await CountsAsync(connectionString), Is.EqualTo(before), "no row lost or doubled");
            await using var dataSource2 = NpgsqlDataSource.Create(connectionString);
            foreach (var table in TimeSeries)
            {
                await using var kind = dataSource2.CreateCommand($"SELECT relkind::text FROM pg_class WHERE oid = '{table}'::regclass");
                Assert.That(await kind.ExecuteScalarAsync(), Is.EqualTo("p"), $"{table} is partitioned");
            }

            // A partition per day the rows covered (20, 21 and 22 November), each holding its own day.
            await using (var days = dataSource2.CreateCommand(
                "SELECT array_agg(tableoid::regclass::text ORDER BY tableoid::regclass::text) FROM (SELECT DISTINCT tableoid FROM moe_analysis.expert_responses) p"))
            {
                Assert.That(await days.ExecuteScalarAsync(), Is.EqualTo(new[]
                {
                    "moe_analysis.expert_responses_p20261120", "moe_analysis.expert_responses_p20261121", "moe_analysis.expert_responses_p20261122",
                }));
            }

            await using (var daily = dataSource2.CreateCommand("SELECT count(*) FROM ONLY market_data.underlying_ohlc_daily"))
            {
                Assert.That(await daily.ExecuteScalarAsync(), Is.EqualTo(before["market_data.underlying_ohlc"] / 2), "daily bars sit apart, never dropped");
            }

            // The one-line call is filled in for the rows already stored, and identities continue past the old ids.
            await using (var calls = dataSource2.CreateCommand("SELECT array_agg(DISTINCT call ORDER BY call) FROM moe_analysis.expert_responses"))
            {
                Assert.That(await calls.ExecuteScalarAsync(), Is.EqualTo(new[] { "Bearish · score -0.43", "Bullish · call debit spread", "Trending · gamma Short" }));
            }

            await using (var next = dataSource2.CreateCommand(
                "INSERT INTO usage_stats.orchestrator_stats (cycle_id, symbol, stage, latency_ms, item_count, occurred_at) VALUES (gen_random_uuid(), 'SPY', 'total', 1, 0, now()) RETURNING id"))
            {
                Assert.That(await next.ExecuteScalarAsync(), Is.GreaterThan(before["usage_stats.orchestrator_stats"]));
            }

            var second = await CliProcess.RunAsync(connectionString, "migrate", "--json");
            Assert.That(second.ExitCode, Is.Zero, second.StandardError);
            Assert.That(JsonDocument.Parse(second.StandardOutput).RootElement.GetProperty("applied").GetInt32(), Is.Zero, "a second run does nothing");
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    private static async Task MigrateToAsync<TContext>(NpgsqlDataSource dataSource, string schema, string migration)
        where TContext : DbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        PersistenceRegistration.ConfigureNpgsql(builder, dataSource, schema);
        await using var context = (TContext)Activator.CreateInstance(typeof(TContext), builder.Options)!;
        await context.GetService<IMigrator>().MigrateAsync(migration);
    }

    private static async Task<Dictionary<string, long>> CountsAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var counts = new Dictionary<string, long>();
        foreach (var table in TimeSeries.Append("training.labeled_examples"))
        {
            await using var count = dataSource.CreateCommand($"SELECT count(*) FROM {table}");
            counts[table] = (long)(await count.ExecuteScalarAsync())!;
        }

        return counts;
    }
}
