using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HuiHui.Tests.Shared;

public sealed class MigrationTests : DatabaseTest
{
    /// <summary>Every table ARCHITECTURE.md names, by schema.</summary>
    private static readonly string[] ExpectedTables =
    [
        "market_data.underlying_ohlc", "market_data.options_chain", "market_data.news_items",
        "moe_analysis.expert_responses",
        "training.labeled_examples", "training.feature_vectors", "training.model_checkpoints",
        "education.documents", "education.chunks", "education.embeddings",
        "usage_stats.huihui_usage", "usage_stats.orchestrator_stats",
        "system_health.alerts", "system_health.uptime_logs",
        "cluster.nodes", "cluster.leases",
        "identity.AspNetUsers", "identity.AspNetRoles", "identity.AspNetUserRoles",
        "hangfire.job", "hangfire.state", "hangfire.schema",
    ];

    [Test]
    public async Task MigrateDatabases_OnFreshDatabase_CreatesEveryTable_AndSecondRunIsANoOp()
    {
        var connectionString = await TestDatabase.CreateAsync("huihui_migrate");
        try
        {
            await using var factory = new HuiHuiFactory(connectionString);
            Assert.That((await SendAsync(factory, new GetDatabaseStatus())).UpToDate, Is.False, "a fresh database is behind");

            var first = await SendAsync(factory, new MigrateDatabases());

            Assert.That(first.Modules.Select(m => m.Module), Is.EquivalentTo(new[] { "monitoring", "ingestion", "experts", "learning", "education", "cluster", "identity", "hangfire" }));
            Assert.That(first.Modules.All(m => m.Migrations.Count > 0), Is.True, "every module applied its initial migration");
            Assert.That(await TablesAsync(connectionString), Is.SupersetOf(ExpectedTables));

            var shapeBefore = await SchemaShapeAsync(connectionString);
            var second = await SendAsync(factory, new MigrateDatabases());

            Assert.That(second.AppliedCount, Is.Zero);
            Assert.That(await SchemaShapeAsync(connectionString), Is.EqualTo(shapeBefore));
            Assert.That((await SendAsync(factory, new GetDatabaseStatus())).UpToDate, Is.True);
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Test]
    public async Task ExpertResponses_HasArchitectureColumnsAndLookupIndexes()
    {
        var columns = await ScalarListAsync(
            "SELECT column_name || ':' || data_type FROM information_schema.columns WHERE table_schema = 'moe_analysis' AND table_name = 'expert_responses'");
        Assert.That(columns, Is.SupersetOf(new[]
        {
            "id:uuid", "expert_id:character varying", "symbol:character varying", "details:jsonb",
            "confidence:double precision", "created_at:timestamp with time zone",
        }));

        var indexes = await ScalarListAsync("SELECT indexdef FROM pg_indexes WHERE schemaname = 'moe_analysis' AND tablename = 'expert_responses'");
        Assert.That(indexes, Has.Some.Contains("(symbol, as_of, id)"), "history for one symbol, newest first by keyset");
        Assert.That(indexes, Has.Some.Contains("(as_of, id)"), "history for all symbols");
        Assert.That(indexes, Has.Some.Contains("(id, as_of)"), "the key names the partition column");
        Assert.That(await ScalarListAsync("SELECT relkind::text FROM pg_class WHERE oid = 'moe_analysis.expert_responses'::regclass"), Is.EqualTo(new[] { "p" }));
    }

    [Test]
    public async Task ExpertResponses_RefusesConfidenceOutsideTheUnitInterval()
    {
        await using var connection = new NpgsqlConnection(Testing.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO moe_analysis.expert_responses (id, cycle_id, expert_id, symbol, details, confidence, as_of, created_at)
            VALUES (gen_random_uuid(), gen_random_uuid(), 'regime', 'SPY', '{}'::jsonb, 1.5, now(), now())
            """,
            connection);

        var error = Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());
        Assert.That(error!.ConstraintName, Is.EqualTo("ck_expert_responses_confidence_unit"));
    }

    [Test]
    public async Task ChunkSearchVector_IsGeneratedFromHeadingAndContent()
    {
        await using var connection = new NpgsqlConnection(Testing.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO education.documents (id, uri, title, doc_type, content_hash, size_bytes, tags, ingested_at, updated_at)
            VALUES ('00000000-0000-0000-0000-000000000001', 'docs/gex.md', 'GEX', 'Markdown', 'abc', 10, '{}', now(), now());
            INSERT INTO education.chunks (id, document_id, ordinal, heading, location, content, token_count)
            VALUES (gen_random_uuid(), '00000000-0000-0000-0000-000000000001', 0, 'Gamma flip', '#gamma-flip', 'Dealers hedge against the move', 5);
            """,
            connection);
        await insert.ExecuteNonQueryAsync();

        var hits = await ScalarListAsync("SELECT location FROM education.chunks WHERE search_vector @@ plainto_tsquery('english', 'dealer hedging flip')");
        Assert.That(hits, Is.EqualTo(new[] { "#gamma-flip" }));
    }

    private static async Task<T> SendAsync<T>(HuiHuiFactory factory, ICommand<T> command)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command);
    }

    private static async Task<T> SendAsync<T>(HuiHuiFactory factory, IQuery<T> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query);
    }

    private static Task<List<string>> TablesAsync(string connectionString) =>
        ScalarListAsync("SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'", connectionString);

    /// <summary>Columns, types, indexes and constraints of every non-system schema, as one comparable list.</summary>
    private static Task<List<string>> SchemaShapeAsync(string connectionString) =>
        ScalarListAsync(
            """
            SELECT table_schema || '.' || table_name || '.' || column_name || ':' || data_type FROM information_schema.columns
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
            UNION ALL SELECT schemaname || ':' || indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
            UNION ALL SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1
            """,
            connectionString);

    private static async Task<List<string>> ScalarListAsync(string sql, string? connectionString = null)
    {
        await using var connection = new NpgsqlConnection(connectionString ?? Testing.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
