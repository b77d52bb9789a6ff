using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Persistence;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace HuiHui.Modules.Monitoring.Features;

/// <summary>
/// Writes stage latencies and usage records in batches (up to 1,000 rows, at least once a second) by binary COPY in one
/// transaction (the database assigns the ids); best effort, see <see cref="BatchedWriter{T}"/>. At 50 analyses a second
/// this is ~300 rows a second: through EF it cost a parameter and a change-tracking entry per column and a command text
/// on the large-object heap per batch (docs/performance.md, "Memory").
/// </summary>
internal sealed class StatsWriter(NpgsqlDataSource dataSource, TimeProvider time, ILogger<StatsWriter> logger)
    : BatchedWriter<object>(10_000, 1000, TimeSpan.FromSeconds(1), time, logger)
{
    private const string Stats = "usage_stats.orchestrator_stats";
    private const string StatColumns = "cycle_id, symbol, stage, latency_ms, item_count, occurred_at";
    private const string Usage = "usage_stats.huihui_usage";
    private const string UsageColumns = "occurred_at, kind, name, model, prompt_tokens, completion_tokens, latency_ms, success, error";

    public void Enqueue(UsageRecord record) => base.Enqueue(record);

    public void Enqueue(OrchestratorStatRecord record) => base.Enqueue(record);

    protected override async Task WriteAsync(List<object> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stats = batch.OfType<OrchestratorStatRecord>().ToList();
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

        var usage = batch.OfType<UsageRecord>().ToList();
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
