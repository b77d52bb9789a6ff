using HuiHui.Modules.Experts.Data;
using System.Text.Json;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>
/// Persists expert responses through the persistence kit's <see cref="SpooledBatchWriter{T}"/>: binary COPY into a staging
/// table and <c>INSERT … ON CONFLICT DO NOTHING</c>, so a batch written twice is stored once; spooled under
/// <c>HuiHui:Experts:SpoolPath</c> while PostgreSQL cannot be reached and replayed in order when it is back. Producers wait
/// when the queue is full (<see cref="SpooledBatchWriter{T}.EnqueueAsync"/>): nothing is lost short of the spool's cap.
/// A response whose details are not its expert's response type, or whose confidence is not a probability, is refused.
/// </summary>
internal sealed partial class ResponseWriter(
    NpgsqlDataSource dataSource,
    IServiceScopeFactory scopes,
    IOptions<ExpertsOptions> options,
    IOptions<SpoolOptions> spoolOptions,
    TimeProvider time,
    ILogger<ResponseWriter> logger)
    : SpooledBatchWriter<ResponseRecord>(
        new SpoolSettings("responses", "experts", options.Value.SpoolPath, spoolOptions.Value.SpoolMaxBytes, 20_000, options.Value.BatchSize, options.Value.RetryInterval, TimeSpan.Zero),
        () => ExpertsJson.Default.ResponseRecord, scopes, time, logger)
{
    private const string Columns = "id, cycle_id, expert_id, symbol, details, confidence, as_of, created_at, call";

    protected override Task BeatAsync(CancellationToken cancellationToken) =>
        SendAsync(new RecordHeartbeat(Components.ResponseWriter, DatabaseDown ? "degraded" : "ok", DatabaseDown ? "PostgreSQL unreachable; spooling" : null), cancellationToken);

    protected override bool Accept(ResponseRecord row)
    {
        if (IsValid(row))
        {
            return true;
        }

        LogRejected(Logger, row.ExpertId, row.Symbol);
        return false;
    }

    protected override async Task WriteAsync(List<ResponseRecord> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await DailyPartitions.EnsureAsync(connection, ExpertsDbContext.Responses, batch.Select(r => r.AsOf), cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await StagedCopy.StageAsync(connection, "moe_analysis.expert_responses", Columns, batch, async (copy, r, token) =>
        {
            await copy.WriteAsync(r.Id, NpgsqlDbType.Uuid, token);
            await copy.WriteAsync(r.CycleId, NpgsqlDbType.Uuid, token);
            await copy.WriteAsync(r.ExpertId, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(r.Symbol, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(r.Details, NpgsqlDbType.Jsonb, token);
            await copy.WriteAsync(r.Confidence, NpgsqlDbType.Double, token);
            await copy.WriteAsync(UtcTime.Require(r.AsOf, "expert_responses.as_of"), NpgsqlDbType.TimestampTz, token);
            await copy.WriteAsync(UtcTime.Require(r.CreatedAt, "expert_responses.created_at"), NpgsqlDbType.TimestampTz, token);
            await copy.WriteAsync(r.Call, NpgsqlDbType.Varchar, token);
        }, cancellationToken);
        await StagedCopy.InsertNewAsync(connection, "moe_analysis.expert_responses", Columns, "symbol, as_of, expert_id", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The details must be the expert's own response type, and the confidence a probability.</summary>
    private static bool IsValid(ResponseRecord record)
    {
        if (!(record.Confidence is >= 0 and <= 1) || string.IsNullOrEmpty(record.Symbol))
        {
            return false;
        }

        try
        {
            object? typed = record.ExpertId switch
            {
                ExpertIds.Regime => JsonSerializer.Deserialize(record.Details, ExpertsJson.Default.RegimeResponse),
                ExpertIds.Flow => JsonSerializer.Deserialize(record.Details, ExpertsJson.Default.FlowResponse),
                ExpertIds.Sentiment => JsonSerializer.Deserialize(record.Details, ExpertsJson.Default.SentimentResponse),
                ExpertIds.Meta => JsonSerializer.Deserialize(record.Details, ExpertsJson.Default.MetaResponse),
                _ => null,
            };
            return typed is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused an invalid {Expert} response for {Symbol} (details do not match the response type, or confidence outside [0, 1])")]
    private static partial void LogRejected(ILogger logger, string expert, string symbol);
}
