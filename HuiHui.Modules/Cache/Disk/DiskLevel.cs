using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Cache.Disk;

/// <summary>
/// Guards the disk store: serialises access, drops a corrupt file and starts a fresh one, and on any other disk fault
/// (full, read-only, unreachable) degrades to memory only with an alert, trying the disk again every retry interval.
/// </summary>
internal sealed partial class DiskLevel : IDisposable
{
    public const string AlertCode = "disk-degraded";

    private readonly Lock gate = new();
    private readonly CacheOptions options;
    private readonly TimeProvider time;
    private readonly CacheAlerts alerts;
    private readonly ILogger logger;
    private SqliteDiskStore? store;
    private DateTimeOffset nextRetry;
    private long corruptDropped;

    public DiskLevel(CacheOptions options, TimeProvider time, CacheAlerts alerts, ILogger logger)
    {
        this.options = options;
        this.time = time;
        this.alerts = alerts;
        this.logger = logger;
        Folder = Path.GetFullPath(options.DiskPath);
        if (options.DiskEnabled)
        {
            lock (gate)
            {
                TryOpen();
            }
        }
    }

    public string Folder { get; }

    public string? Problem { get; private set; }

    public long CorruptDropped => Interlocked.Read(ref corruptDropped);

    public (long Count, long Bytes, long Evictions, bool Healthy) Snapshot()
    {
        lock (gate)
        {
            return store is null ? (0, 0, 0, false) : (store.Count, store.Bytes, store.Evictions, true);
        }
    }

    /// <summary>Runs <paramref name="operation"/> on the store, or returns <paramref name="fallback"/> while the disk is off or degraded.</summary>
    public T Use<T>(Func<SqliteDiskStore, T> operation, T fallback)
    {
        if (!options.DiskEnabled)
        {
            return fallback;
        }

        lock (gate)
        {
            if (store is null && (time.GetUtcNow() < nextRetry || !TryOpen()))
            {
                return fallback;
            }

            try
            {
                return operation(store!);
            }
            catch (SqliteException exception) when (IsCorrupt(exception))
            {
                DropCorruptFile(exception);
                return TryOpen() ? Retry(operation, fallback) : fallback;
            }
            catch (Exception exception) when (IsDiskFault(exception))
            {
                Degrade(exception);
                return fallback;
            }
        }
    }

    /// <summary>Notes an unreadable entry that was dropped.</summary>
    public void CountCorruptEntry() => Interlocked.Increment(ref corruptDropped);

    public void Dispose()
    {
        lock (gate)
        {
            store?.Dispose();
            store = null;
        }
    }

    private T Retry<T>(Func<SqliteDiskStore, T> operation, T fallback)
    {
        try
        {
            return operation(store!);
        }
        catch (Exception exception) when (IsDiskFault(exception))
        {
            Degrade(exception);
            return fallback;
        }
    }

    private bool TryOpen()
    {
        try
        {
            store = OpenOrReplaceCorrupt();
            if (Problem is not null)
            {
                LogRecovered(logger, Folder);
                Problem = null;
                alerts.Resolve(AlertCode);
            }

            return true;
        }
        catch (Exception exception) when (IsDiskFault(exception))
        {
            Degrade(exception);
            return false;
        }
    }

    private SqliteDiskStore OpenOrReplaceCorrupt()
    {
        try
        {
            return SqliteDiskStore.Open(Folder, options.DiskMaxBytes, time, options.DiskMaxPageCount);
        }
        catch (SqliteException exception) when (IsCorrupt(exception))
        {
            DropCorruptFile(exception);
            return SqliteDiskStore.Open(Folder, options.DiskMaxBytes, time, options.DiskMaxPageCount);
        }
    }

    private void DropCorruptFile(SqliteException exception)
    {
        LogCorruptFile(logger, exception, Path.Combine(Folder, SqliteDiskStore.FileName));
        Interlocked.Increment(ref corruptDropped);
        store?.Dispose();
        store = null;
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path.Combine(Folder, SqliteDiskStore.FileName + suffix));
        }
    }

    private void Degrade(Exception exception)
    {
        store?.Dispose();
        store = null;
        nextRetry = time.GetUtcNow() + options.DiskRetryInterval;
        var first = Problem is null;
        Problem = exception.Message;
        LogDegraded(logger, exception, Folder, options.DiskRetryInterval);
        if (first)
        {
            alerts.Raise(AlertCode, $"Disk cache at {Folder} degraded to memory only: {exception.Message}");
        }
    }

    // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26): the file is not a readable database.
    private static bool IsCorrupt(SqliteException exception) => exception.SqliteErrorCode is 11 or 26;

    private static bool IsDiskFault(Exception exception) => exception is SqliteException or IOException or UnauthorizedAccessException;

    [LoggerMessage(Level = LogLevel.Error, Message = "Disk cache file {Path} is corrupt; dropping it and starting a fresh one")]
    private static partial void LogCorruptFile(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disk cache at {Folder} degraded to memory only; retrying every {Interval}")]
    private static partial void LogDegraded(ILogger logger, Exception exception, string folder, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disk cache at {Folder} is back")]
    private static partial void LogRecovered(ILogger logger, string folder);
}
