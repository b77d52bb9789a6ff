using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HuiHui.Tests.Cluster;

/// <summary>
/// Supabase-ready connections: the modules behind a transaction-mode pooler (PgBouncer from Debian), within the configured
/// pool size, and the read-only analyst role that row-level security lets read the analysis tables and write nothing.
/// </summary>
public sealed class PooledDatabaseTests : DatabaseTest
{
    [Test]
    public async Task BehindATransactionModePooler_AnalysesArePersistedAndRead_WithinThePoolSize()
    {
        await using var bouncer = await PgBouncer.StartAsync(TestDatabase.ServerConnectionString, poolSize: 4, "huihui");
        await using var services = ModuleServices.BuildOnSystemClock(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = bouncer.Through(Testing.ConnectionString),
            ["HuiHui:Database:MaxPoolSize"] = "6",
            ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Ingestion:SpoolPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Experts:SpoolPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Experts:AnalyzeEveryCycle"] = "false",
        });
        Assert.That(new NpgsqlConnectionStringBuilder(services.Get<NpgsqlDataSource>().ConnectionString).MaxPoolSize, Is.EqualTo(6),
            "HuiHui:Database:MaxPoolSize applies when the connection string names no pool size");
        var writer = services.Get<ResponseWriter>();
        await writer.StartAsync(CancellationToken.None);

        // Eight symbols at once: more analyses than pooled connections, each reading bars and writing through COPY into a
        // staging table inside its transaction (what a transaction-mode pooler allows).
        string[] symbols = ["SPY", "QQQ", "IWM", "AAPL", "MSFT", "NVDA", "AMD", "META"];
        var analyses = await Task.WhenAll(symbols.Select(async symbol =>
        {
            await using var scope = services.Provider.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new AnalyzeSymbol(symbol));
        }));
        await Poller.UntilAsync(() => Task.FromResult(writer.Drained && writer.Written >= 4 * symbols.Length), done => done, what: "the responses written through the pooler");
        await writer.StopAsync(CancellationToken.None);

        Assert.That(analyses.Select(a => a.Meta.MissingExperts.Count), Has.All.Zero);
        var stored = await Sql.ScalarAsync<long>("SELECT count(*) FROM moe_analysis.expert_responses WHERE symbol = ANY($1)", (object)symbols);
        Assert.That(stored, Is.EqualTo(4 * symbols.Length), "every expert of every symbol, once");
        await using var scopeRead = services.Provider.CreateAsyncScope();
        var page = await scopeRead.ServiceProvider.GetRequiredService<IMediator>().Send(
            new GetExpertHistory("NVDA", null, DateTimeOffset.UnixEpoch, new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(page.Rows, Has.Count.EqualTo(4), "history reads through the pooler");
        Assert.That(bouncer.Log, Does.Not.Contain("ERROR"), "the pooler saw no protocol it refuses (session state, prepared statements)");
    }

    [Test]
    public async Task TheAnalystRole_ReadsTheAnalysisTables_AndCannotWriteThem()
    {
        var login = "analyst_" + Guid.NewGuid().ToString("N")[..8];
        await TestDatabase.ExecuteAsync($"CREATE ROLE {login} LOGIN IN ROLE huihui_analyst");
        try
        {
            await Sql.ExecuteAsync($"""
                INSERT INTO moe_analysis.expert_responses (id, cycle_id, expert_id, symbol, details, confidence, as_of, created_at, call)
                VALUES (gen_random_uuid(), gen_random_uuid(), 'meta', 'RLS', '{"{}"}', 0.5, now(), now(), 'neutral')
                """);
            var analyst = new NpgsqlConnectionStringBuilder(Testing.ConnectionString) { Username = login, Pooling = false }.ConnectionString;
            await using var connection = new NpgsqlConnection(analyst);
            await connection.OpenAsync();

            await using (var read = new NpgsqlCommand("SELECT count(*) FROM moe_analysis.expert_responses WHERE symbol = 'RLS'", connection))
            {
                Assert.That(await read.ExecuteScalarAsync(), Is.EqualTo(1L), "the analyst reads the analysis");
            }

            foreach (var write in new[]
            {
                "INSERT INTO moe_analysis.expert_responses (id, cycle_id, expert_id, symbol, details, confidence, as_of, created_at, call) VALUES (gen_random_uuid(), gen_random_uuid(), 'meta', 'RLS', '{}', 0.5, now(), now(), 'neutral')",
                "UPDATE moe_analysis.expert_responses SET confidence = 0 WHERE symbol = 'RLS'",
                "DELETE FROM moe_analysis.expert_responses WHERE symbol = 'RLS'",
            })
            {
                await using var command = new NpgsqlCommand(write, connection);
                var refused = Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
                Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege), write);
            }

            Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM moe_analysis.expert_responses WHERE symbol = 'RLS' AND confidence = 0.5"), Is.EqualTo(1L), "nothing changed");
            var policies = await Sql.ScalarAsync<long>("SELECT count(*) FROM pg_policies WHERE schemaname = 'moe_analysis' AND policyname = 'analyst_read'");
            var tables = await Sql.ScalarAsync<long>("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'moe_analysis' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '__EFMigrationsHistory'");
            Assert.That(policies, Is.EqualTo(tables), "every analysis table has the analyst's read policy");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await TestDatabase.ExecuteAsync($"DROP ROLE {login}");
        }
    }
}
