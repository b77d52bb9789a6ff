using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HuiHui.Modules.Shared.Persistence;

/// <summary><c>HuiHui:Persistence</c>: where the batch writers spool rows while PostgreSQL is unreachable.</summary>
internal sealed class SpoolOptions
{
    public const string Section = "HuiHui:Persistence";

    /// <summary>The writers' spool folder (one file set per writer; expert responses keep <c>HuiHui:Experts:SpoolPath</c>).</summary>
    [Required]
    public string SpoolPath { get; set; } = ".data/spool";

    /// <summary>Each writer's spool cap: past it the oldest spooled rows are deleted, counted and alerted on. 512 MiB by default.</summary>
    [Range(1024 * 1024, long.MaxValue)]
    public long SpoolMaxBytes { get; set; } = 512L * 1024 * 1024;
}

/// <summary>The JSON a writer spools its rows as, for row types without a source-generated context.</summary>
internal static class SpoolJson
{
    // NaN and infinities are valid in PostgreSQL's real and double columns (a feature vector may hold one): spooled as names.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    public static JsonTypeInfo<T> For<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}

/// <summary>A background writer the Health page lists (register each writer as one).</summary>
internal interface IWriterStatusSource
{
    WriterStatus Status { get; }
}

/// <summary>How one writer queues, batches and spools.</summary>
/// <param name="Name">The writer's name: its spool files and alert code (<c>spool-full:{Name}</c>).</param>
/// <param name="Source">The module raising its alerts.</param>
/// <param name="Capacity">Rows queued in memory at most.</param>
/// <param name="Pace">The least time between two writes (rows gather into larger batches meanwhile).</param>
internal sealed record SpoolSettings(string Name, string Source, string Folder, long MaxBytes, int Capacity, int BatchSize, TimeSpan RetryInterval, TimeSpan Pace);

/// <summary>
/// The one way modules write rows nobody waits on (expert responses, feature vectors, stage latencies and usage): producers
/// queue rows; one background loop writes them in batches (<see cref="WriteAsync"/>, usually <see cref="StagedCopy"/>).
/// When PostgreSQL cannot be reached a batch goes to the writer's <see cref="RowSpool{T}"/> on disk, and the spool is
/// replayed oldest first, before anything newer, once PostgreSQL answers again — so writes should be idempotent (staged
/// insert of new keys). The spool is bounded: past its cap the oldest rows are dropped, counted and alerted on. Rows
/// PostgreSQL refuses (a data or constraint error) are retried one by one and the refused ones kept aside in a file, so
/// one bad row never blocks the rest. On stop, whatever is queued goes to the spool. Hosts that do not run the loop (CLI
/// verbs) call <see cref="FlushAsync"/>.
/// </summary>
internal abstract partial class SpooledBatchWriter<T> : BackgroundService, IWriterStatusSource
{
    private readonly SpoolSettings settings;
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Channel<T> pending;
    private readonly RowSpool<T> spool;
    private long enqueued;
    private long written;
    private long spooled;
    private long dropped;
    private long rejected;
    private volatile bool busy;
    private bool spoolFullAlerted;
    private Exception? lastFailure;

    protected SpooledBatchWriter(SpoolSettings settings, Func<JsonTypeInfo<T>> json, IServiceScopeFactory scopes, TimeProvider time, ILogger logger)
    {
        this.settings = settings;
        this.scopes = scopes;
        this.time = time;
        this.logger = logger;
        pending = Channel.CreateBounded<T>(new BoundedChannelOptions(settings.Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        spool = new RowSpool<T>(settings.Folder, settings.Name, settings.MaxBytes, json);
    }

    /// <summary>Rows handed to the writer.</summary>
    public long Enqueued => Interlocked.Read(ref enqueued);

    /// <summary>Rows stored in PostgreSQL.</summary>
    public long Written => Interlocked.Read(ref written);

    /// <summary>Rows that went to the spool (written later, when PostgreSQL is back).</summary>
    public long Spooled => Interlocked.Read(ref spooled);

    /// <summary>Rows lost: refused by a full queue (<see cref="Enqueue"/>) or deleted from a full spool.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Rows refused: invalid before insert, or refused by PostgreSQL (kept in the spool folder's <c>.refused</c> file).</summary>
    public long Rejected => Interlocked.Read(ref rejected);

    /// <summary>Rows queued in memory, not yet written or spooled.</summary>
    public int Queued => pending.Reader.Count;

    /// <summary>Bytes waiting in the spool.</summary>
    public long SpoolBytes => spool.Bytes;

    public bool DatabaseDown { get; private set; }

    protected ILogger Logger => logger;

    public WriterStatus Status => new(settings.Name, Written, Queued, Spooled, SpoolBytes, Dropped, Rejected, DatabaseDown);

    /// <summary>True when nothing is queued or spooled: every row so far is in PostgreSQL.</summary>
    public bool Drained => pending.Reader.Count == 0 && spool.IsEmpty && !busy;

    /// <summary>Queues a row without waiting: when the queue is full the row is dropped and counted (for telemetry).</summary>
    public void Enqueue(T row)
    {
        if (pending.Writer.TryWrite(row))
        {
            Interlocked.Increment(ref enqueued);
        }
        else
        {
            Interlocked.Increment(ref dropped);
        }
    }

    /// <summary>Queues a row, waiting while the queue is full (rows that must not be lost).</summary>
    public async ValueTask EnqueueAsync(T row, CancellationToken cancellationToken)
    {
        await pending.Writer.WriteAsync(row, cancellationToken);
        Interlocked.Increment(ref enqueued);
    }

    /// <summary>Writes (or spools) the spool and everything queued now. Not for use while the background loop runs.</summary>
    /// <remarks>
    /// A database without this version's tables (not migrated) spools like an unreachable one, then throws the
    /// <see cref="PostgresException"/> so a command-line verb can say so; the background loop only spools and logs.
    /// </remarks>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<T>(settings.BatchSize);
        lastFailure = null;
        if (!spool.IsEmpty && !await TryReplayAsync(cancellationToken))
        {
            Drain(batch, int.MaxValue);
            Spool(batch);
            ThrowIfNotMigrated();
            return;
        }

        while (pending.Reader.Count > 0)
        {
            Drain(batch, settings.BatchSize);
            if (!await WriteOrSpoolAsync(batch, cancellationToken))
            {
                Drain(batch, int.MaxValue);
                Spool(batch);
                ThrowIfNotMigrated();
                return;
            }
        }
    }

    private void ThrowIfNotMigrated()
    {
        // undefined table, schema or column: the database is older than this version
        if (lastFailure is PostgresException { SqlState: "42P01" or "3F000" or "42703" } missing)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(missing);
        }
    }

    /// <summary>Writes the batch in one transaction; throws when PostgreSQL cannot take it.</summary>
    protected abstract Task WriteAsync(List<T> batch, CancellationToken cancellationToken);

    /// <summary>False refuses the row before it is written (counted in <see cref="Rejected"/>; the subclass logs why).</summary>
    protected virtual bool Accept(T row) => true;

    /// <summary>Called before each wait (at least every 30 s): a heartbeat, for writers that send one.</summary>
    protected virtual Task BeatAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<T>(settings.BatchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await BeatAsync(stoppingToken);
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var waitForWork = pending.Reader.WaitToReadAsync(idle.Token).AsTask();
                await Task.WhenAny(waitForWork, Task.Delay(spool.IsEmpty ? TimeSpan.FromSeconds(30) : settings.RetryInterval, time, idle.Token));
                await idle.CancelAsync(); // no timer or waiter left behind per pass
                if (waitForWork.IsCompletedSuccessfully && !waitForWork.Result)
                {
                    break;
                }

                if (settings.Pace > TimeSpan.Zero)
                {
                    await Task.Delay(settings.Pace, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            busy = true;
            try
            {
                if (!spool.IsEmpty && !await TryReplayAsync(stoppingToken))
                {
                    Drain(batch, settings.BatchSize);
                    Spool(batch); // in order: newer rows go behind the spooled ones
                    continue;
                }

                Drain(batch, settings.BatchSize);
                await WriteOrSpoolAsync(batch, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                SpoolQuietly(batch);
                break;
            }
            catch (Exception error)
            {
                LogUnexpected(logger, error, settings.Name);
                SpoolQuietly(batch); // kept: replayed on the next pass
                await DelayQuietlyAsync(settings.RetryInterval, stoppingToken);
            }
            finally
            {
                busy = false;
            }
        }

        // Stopping: whatever is still queued goes to the spool, to be written on the next start.
        Drain(batch, int.MaxValue);
        SpoolQuietly(batch);
    }

    /// <summary>The loop must outlive any failure (a full disk, a row that cannot be serialised): what cannot be spooled is counted as dropped.</summary>
    private void SpoolQuietly(List<T> batch)
    {
        try
        {
            Spool(batch);
        }
        catch (Exception error)
        {
            Interlocked.Add(ref dropped, batch.Count);
            LogSpoolFailed(logger, error, batch.Count, settings.Name, spool.Folder);
            batch.Clear();
        }
    }

    private async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private void Drain(List<T> batch, int max)
    {
        batch.Clear();
        while (batch.Count < max && pending.Reader.TryRead(out var row))
        {
            if (Accept(row))
            {
                batch.Add(row);
            }
            else
            {
                Interlocked.Increment(ref rejected);
            }
        }
    }

    /// <summary>Writes the batch (one by one when PostgreSQL refuses it); spools it when PostgreSQL is unreachable. False when spooled.</summary>
    private async Task<bool> WriteOrSpoolAsync(List<T> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return true;
        }

        switch (await TryWriteAsync(batch, cancellationToken))
        {
            case Outcome.Written:
                batch.Clear();
                return true;
            case Outcome.Refused:
                var rest = await WriteOneByOneAsync(batch, cancellationToken);
                batch.Clear();
                if (rest.Count == 0)
                {
                    return true;
                }

                Spool(rest);
                return false;
            default:
                Spool(batch);
                return false;
        }
    }

    /// <summary>Each row alone: refused ones are kept aside; returns the rows not written because PostgreSQL went away.</summary>
    private async Task<List<T>> WriteOneByOneAsync(List<T> rows, CancellationToken cancellationToken)
    {
        var refused = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var outcome = await TryWriteAsync([rows[i]], cancellationToken);
            if (outcome == Outcome.Unreachable)
            {
                return [.. rows.Skip(i)];
            }

            if (outcome == Outcome.Refused)
            {
                spool.Refuse(rows[i]);
                refused++;
            }
        }

        Interlocked.Add(ref rejected, refused);
        LogRefused(logger, refused, settings.Name, spool.RefusedFile);
        return [];
    }

    private async Task<Outcome> TryWriteAsync(List<T> batch, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(batch, cancellationToken);
            Interlocked.Add(ref written, batch.Count);
            if (DatabaseDown)
            {
                DatabaseDown = false;
                LogBack(logger, settings.Name);
            }

            return Outcome.Written;
        }
        catch (PostgresException error) when (IsRefusal(error))
        {
            LogRefusal(logger, settings.Name, batch.Count, error.SqlState, error.MessageText);
            return Outcome.Refused;
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            lastFailure = error;
            if (!DatabaseDown)
            {
                DatabaseDown = true;
                LogDown(logger, settings.Name, error.GetBaseException().Message);
            }

            return Outcome.Unreachable;
        }
    }

    /// <summary>Replays the spool oldest first; true when it is empty afterwards.</summary>
    private async Task<bool> TryReplayAsync(CancellationToken cancellationToken)
    {
        var replayed = 0L;
        foreach (var segment in spool.Segments())
        {
            var rows = spool.Read(segment);
            var done = 0;
            while (done < rows.Count)
            {
                var batch = rows.GetRange(done, Math.Min(settings.BatchSize, rows.Count - done));
                if (!await WriteOrSpoolReplayedAsync(batch, cancellationToken))
                {
                    spool.Replace(segment, rows[done..]);
                    return false;
                }

                done += batch.Count;
            }

            spool.Remove(segment);
            replayed += rows.Count;
        }

        if (replayed > 0)
        {
            LogReplayed(logger, replayed, settings.Name);
        }

        if (spoolFullAlerted)
        {
            spoolFullAlerted = false;
            await SendAsync(new ResolveAlert(settings.Source, $"spool-full:{settings.Name}"), cancellationToken);
        }

        return true;
    }

    /// <summary>A spooled batch: written, or its refused rows kept aside; false while PostgreSQL is unreachable.</summary>
    private async Task<bool> WriteOrSpoolReplayedAsync(List<T> batch, CancellationToken cancellationToken)
    {
        var outcome = await TryWriteAsync(batch, cancellationToken);
        return outcome == Outcome.Written || (outcome == Outcome.Refused && (await WriteOneByOneAsync(batch, cancellationToken)).Count == 0);
    }

    private void Spool(List<T> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var unserialisable = spool.Unserialisable;
        var lost = spool.Append(batch);
        Interlocked.Add(ref spooled, batch.Count);
        batch.Clear();
        if (spool.Unserialisable > unserialisable)
        {
            Interlocked.Add(ref rejected, spool.Unserialisable - unserialisable);
            LogUnserialisable(logger, spool.Unserialisable - unserialisable, settings.Name);
        }

        if (lost > 0)
        {
            Interlocked.Add(ref dropped, lost);
            LogSpoolFull(logger, settings.Name, lost, spool.Folder);
            spoolFullAlerted = true;
            _ = SendAsync(new RaiseAlert(settings.Source, $"spool-full:{settings.Name}", AlertSeverity.Critical,
                $"the {settings.Name} spool reached its cap ({settings.MaxBytes:N0} bytes): {spool.Dropped:N0} row(s) dropped unwritten since the start (is PostgreSQL down?)"), CancellationToken.None);
        }
    }

    /// <summary>Sends a command (an alert, a heartbeat) in its own scope; a failure is logged, never thrown.</summary>
    protected async Task SendAsync(ICommand command, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogSendFailed(logger, command.GetType().Name, settings.Name, error.GetBaseException().Message);
        }
    }

    /// <summary>A data or integrity error: these rows will never go in as they are (class 22 and 23).</summary>
    private static bool IsRefusal(PostgresException error) => error.SqlState.StartsWith("22", StringComparison.Ordinal) || error.SqlState.StartsWith("23", StringComparison.Ordinal);

    private enum Outcome
    {
        Written,
        Refused,
        Unreachable,
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL cannot take {Writer} rows; they go to the local spool until it can: {Reason}")]
    private static partial void LogDown(ILogger logger, string writer, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL takes {Writer} rows again.")]
    private static partial void LogBack(ILogger logger, string writer);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} spooled {Writer} row(s) replayed into PostgreSQL.")]
    private static partial void LogReplayed(ILogger logger, long count, string writer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL refused a batch of {Count} {Writer} row(s) ({SqlState}: {Reason}); writing them one by one")]
    private static partial void LogRefusal(ILogger logger, string writer, int count, string sqlState, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} {Writer} row(s) refused by PostgreSQL were kept aside in {File}")]
    private static partial void LogRefused(ILogger logger, int count, string writer, string file);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Writer} spool reached its cap: {Count} oldest row(s) dropped unwritten ({Folder})")]
    private static partial void LogSpoolFull(ILogger logger, string writer, int count, string folder);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} {Writer} row(s) could not be spooled and are lost ({Folder})")]
    private static partial void LogSpoolFailed(ILogger logger, Exception exception, int count, string writer, string folder);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} {Writer} row(s) cannot be serialised for the spool and are lost")]
    private static partial void LogUnserialisable(ILogger logger, long count, string writer);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Writer} rows failed unexpectedly; the batch is spooled")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string writer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send {Command} for the {Writer} writer: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string command, string writer, string reason);
}
