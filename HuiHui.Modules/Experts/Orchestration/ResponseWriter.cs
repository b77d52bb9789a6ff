using HuiHui.Modules.Experts.Data;
using System.Text.Json;
using System.Threading.Channels;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>
/// Persists expert responses in batches: a bounded channel, then binary COPY into a staging table and
/// <c>INSERT … ON CONFLICT (id, as_of) DO NOTHING</c>, so a batch written twice is stored once. When PostgreSQL cannot be
/// reached the batch is appended to a local spool file (JSON lines); the spool is replayed in order, before anything
/// newer, once PostgreSQL answers again. Nothing is lost (the channel makes producers wait when full) or duplicated.
/// </summary>
internal sealed partial class ResponseWriter(
    NpgsqlDataSource dataSource,
    IServiceScopeFactory scopes,
    IOptions<ExpertsOptions> options,
    TimeProvider time,
    ILogger<ResponseWriter> logger) : BackgroundService
{
    private const string Columns = "id, cycle_id, expert_id, symbol, details, confidence, as_of, created_at, call";
    private readonly Channel<ResponseRecord> pending = Channel.CreateBounded<ResponseRecord>(
        new BoundedChannelOptions(20_000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private long written;
    private long spooled;
    private long rejected;

    public long Written => Interlocked.Read(ref written);

    public long Spooled => Interlocked.Read(ref spooled);

    /// <summary>Responses refused before insert (invalid details or confidence).</summary>
    public long Rejected => Interlocked.Read(ref rejected);

    /// <summary>Responses queued but not yet written or spooled.</summary>
    public int Queued => pending.Reader.Count;

    public bool DatabaseDown { get; private set; }

    public long SpoolBytes => (File.Exists(SpoolFile) ? new FileInfo(SpoolFile).Length : 0) + (File.Exists(ReplayFile) ? new FileInfo(ReplayFile).Length : 0);

    private string SpoolFile => Path.Combine(Path.GetFullPath(options.Value.SpoolPath), "responses.jsonl");

    private string ReplayFile => Path.ChangeExtension(SpoolFile, ".replaying");

    private long enqueued;

    public long Enqueued => Interlocked.Read(ref enqueued);

    public async ValueTask EnqueueAsync(ResponseRecord record, CancellationToken cancellationToken)
    {
        await pending.Writer.WriteAsync(record, cancellationToken);
        Interlocked.Increment(ref enqueued);
    }

    /// <summary>
    /// Writes (or spools) everything queued now, for processes that do not run the writer in the background
    /// (CLI verbs). Not for use while the background loop runs.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<ResponseRecord>(options.Value.BatchSize);
        if (HasSpool() && !await TryReplayAsync(cancellationToken))
        {
            Drain(batch, int.MaxValue);
            Spool(batch);
            return;
        }

        while (pending.Reader.Count > 0)
        {
            Drain(batch);
            if (!await TryWriteAsync(batch, cancellationToken))
            {
                Spool(batch);
                Drain(batch, int.MaxValue);
                Spool(batch);
                return;
            }
        }
    }

    /// <summary>True when nothing is queued or spooled: every response so far is in PostgreSQL.</summary>
    public bool Drained => pending.Reader.Count == 0 && !File.Exists(SpoolFile) && !File.Exists(ReplayFile) && !busy;

    private volatile bool busy;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ResponseRecord>(options.Value.BatchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await BeatAsync(stoppingToken);
                var waitForWork = pending.Reader.WaitToReadAsync(stoppingToken).AsTask();
                var idle = HasSpool() ? options.Value.RetryInterval : TimeSpan.FromSeconds(30); // beat even when idle
                await Task.WhenAny(waitForWork, Task.Delay(idle, time, stoppingToken));
                if (waitForWork.IsCompleted && !await waitForWork)
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            busy = true;
            try
            {
                if (HasSpool() && !await TryReplayAsync(stoppingToken))
                {
                    Drain(batch);
                    Spool(batch); // keep the order: newer responses go behind the spooled ones
                    continue;
                }

                Drain(batch);
                if (batch.Count > 0 && !await TryWriteAsync(batch, stoppingToken))
                {
                    Spool(batch);
                }
            }
            finally
            {
                busy = false;
            }
        }

        // Stopping: whatever is still queued goes to the spool, to be written on the next start.
        Drain(batch, int.MaxValue);
        Spool(batch);
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>().Send(
                new HuiHui.Modules.Shared.Contracts.RecordHeartbeat(HuiHui.Modules.Shared.Contracts.Components.ResponseWriter,
                    DatabaseDown ? "degraded" : "ok", DatabaseDown ? "PostgreSQL unreachable; spooling" : null), cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogDown(logger, "heartbeat: " + error.Message);
        }
    }

    private void Drain(List<ResponseRecord> batch, int max = 0)
    {
        batch.Clear();
        var limit = max > 0 ? max : options.Value.BatchSize;
        while (batch.Count < limit && pending.Reader.TryRead(out var record))
        {
            if (IsValid(record))
            {
                batch.Add(record);
            }
            else
            {
                Interlocked.Increment(ref rejected);
                LogRejected(logger, record.ExpertId, record.Symbol);
            }
        }
    }

    private bool HasSpool() => File.Exists(ReplayFile) || File.Exists(SpoolFile);

    private async Task<bool> TryWriteAsync(List<ResponseRecord> batch, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(batch, cancellationToken);
            Interlocked.Add(ref written, batch.Count);
            if (DatabaseDown)
            {
                DatabaseDown = false;
                LogBack(logger);
            }

            return true;
        }
        catch (Exception error) when (IsUnreachable(error))
        {
            if (!DatabaseDown)
            {
                DatabaseDown = true;
                LogDown(logger, error.GetBaseException().Message);
            }

            return false;
        }
    }

    /// <summary>Replays the spool oldest first; true when it is empty afterwards.</summary>
    private async Task<bool> TryReplayAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(ReplayFile))
        {
            File.Move(SpoolFile, ReplayFile);
        }

        var batch = new List<ResponseRecord>(options.Value.BatchSize);
        foreach (var line in File.ReadLines(ReplayFile))
        {
            if (JsonDeserialize(line) is { } record && IsValid(record))
            {
                batch.Add(record);
            }

            if (batch.Count == options.Value.BatchSize)
            {
                if (!await TryWriteAsync(batch, cancellationToken))
                {
                    return false;
                }

                batch.Clear();
            }
        }

        if (batch.Count > 0 && !await TryWriteAsync(batch, cancellationToken))
        {
            return false;
        }

        File.Delete(ReplayFile);
        if (File.Exists(SpoolFile))
        {
            return await TryReplayAsync(cancellationToken); // spooled while we replayed
        }

        LogReplayed(logger);
        return true;
    }

    private void Spool(List<ResponseRecord> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(SpoolFile)!);
        using var file = new StreamWriter(SpoolFile, append: true);
        foreach (var record in batch)
        {
            file.WriteLine(JsonSerializer.Serialize(record, ExpertsJson.Default.ResponseRecord));
        }

        Interlocked.Add(ref spooled, batch.Count);
        batch.Clear();
    }

    private async Task WriteAsync(List<ResponseRecord> batch, CancellationToken cancellationToken)
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

    private static ResponseRecord? JsonDeserialize(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, ExpertsJson.Default.ResponseRecord);
        }
        catch (JsonException)
        {
            return null; // a line cut off by a crash mid-write
        }
    }

    private static bool IsUnreachable(Exception error) =>
        error is NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or TimeoutException or IOException
        || error is NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException }
        || error is PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08001" or "08004" };

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL is unreachable; expert responses go to the local spool until it is back: {Reason}")]
    private static partial void LogDown(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL is back; writing expert responses again.")]
    private static partial void LogBack(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Spooled expert responses replayed into PostgreSQL.")]
    private static partial void LogReplayed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused an invalid {Expert} response for {Symbol} (details do not match the response type, or confidence outside [0, 1])")]
    private static partial void LogRejected(ILogger logger, string expert, string symbol);
}
