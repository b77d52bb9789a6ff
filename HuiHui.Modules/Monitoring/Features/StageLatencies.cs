using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace HuiHui.Modules.Monitoring.Features;

/// <summary>
/// Writes stage latencies and usage records in batches (up to 1,000 rows, at most once a second) by binary COPY in one
/// transaction (the database assigns the ids), through the persistence kit's <see cref="SpooledBatchWriter{T}"/>: queued
/// without waiting (dropped and counted when 10,000 are queued), spooled while PostgreSQL cannot be reached. At 50 analyses
/// a second this is ~300 rows a second: through EF it cost a parameter and a change-tracking entry per column and a command
/// text on the large-object heap per batch (docs/performance.md, "Memory").
/// </summary>
internal sealed class StatsWriter(NpgsqlDataSource dataSource, IServiceScopeFactory scopes, IOptions<SpoolOptions> spool, TimeProvider time, ILogger<StatsWriter> logger)
    : SpooledBatchWriter<StatsRow>(
        new SpoolSettings("stats", "monitoring", spool.Value.SpoolPath, spool.Value.SpoolMaxBytes, 10_000, 1000, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)),
        SpoolJson.For<StatsRow>, scopes, time, logger)
{
    private const string Stats = "usage_stats.orchestrator_stats";
    private const string StatColumns = "cycle_id, symbol, stage, latency_ms, item_count, occurred_at";
    private const string Usage = "usage_stats.huihui_usage";
    private const string UsageColumns = "occurred_at, kind, name, model, prompt_tokens, completion_tokens, latency_ms, success, error";

    public void Enqueue(UsageRecord record) => Enqueue(new StatsRow(null, record));

    public void Enqueue(OrchestratorStatRecord record) => Enqueue(new StatsRow(record, null));

    protected override async Task WriteAsync(List<StatsRow> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stats = batch.Select(r => r.Stage).OfType<OrchestratorStatRecord>().ToList();
        if (stats.Count > 0)
        {
            await StagedCopy.CopyAsync(connection, Stats, StatColumns, stats, async (copy, s, token) =>
            {
                await copy.WriteAsync(s.CycleId, NpgsqlDbType.Uuid, token);
                await copy.WriteAsync(s.Symbol, NpgsqlDbType.Varchar, token);
                await copy.WriteAsync(s.Stage, NpgsqlDbType.Varchar, token);
                await copy.WriteAsync(s.LatencyMs, NpgsqlDbType.Double, token);
                await copy.WriteAsync(s.ItemCount, NpgsqlDbType.Integer, token);
                await copy.WriteAsync(s.OccurredAt, NpgsqlDbType.TimestampTz, token);
            }, cancellationToken);
        }

        var usage = batch.Select(r => r.Usage).OfType<UsageRecord>().ToList();
        if (usage.Count > 0)
        {
            await StagedCopy.CopyAsync(connection, Usage, UsageColumns, usage, async (copy, u, token) =>
            {
                await copy.WriteAsync(u.OccurredAt, NpgsqlDbType.TimestampTz, token);
                await copy.WriteAsync(u.Kind, NpgsqlDbType.Varchar, token);
                await copy.WriteAsync(u.Name, NpgsqlDbType.Varchar, token);
                await WriteNullableAsync(copy, u.Model, NpgsqlDbType.Varchar, token);
                await WriteNullableAsync(copy, u.PromptTokens, NpgsqlDbType.Integer, token);
                await WriteNullableAsync(copy, u.CompletionTokens, NpgsqlDbType.Integer, token);
                await copy.WriteAsync(u.LatencyMs, NpgsqlDbType.Double, token);
                await copy.WriteAsync(u.Success, NpgsqlDbType.Boolean, token);
                await WriteNullableAsync(copy, u.Error, NpgsqlDbType.Text, token);
            }, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);
}

/// <summary>One row for <see cref="StatsWriter"/>: a stage latency or a usage record.</summary>
internal sealed record StatsRow(OrchestratorStatRecord? Stage, UsageRecord? Usage);
