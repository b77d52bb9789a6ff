using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Shared.Persistence;

/// <summary>
/// Best-effort batched writing for rows nobody waits on (stats, usage, feature vectors): producers enqueue without
/// blocking; one background loop writes up to <c>batchSize</c> rows at a time, at most once a second. A batch that
/// cannot be written is kept and retried every <c>retryDelay</c>; when the queue (<c>capacity</c>) is full, new rows
/// are dropped and counted. Rows that must never be lost use a spooling writer instead (expert responses).
/// </summary>
internal abstract partial class BatchedWriter<T>(int capacity, int batchSize, TimeSpan retryDelay, TimeProvider time, ILogger logger) : BackgroundService
{
    private readonly Channel<T> pending = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private long written;
    private long dropped;

    public long Written => Interlocked.Read(ref written);

    public long Dropped => Interlocked.Read(ref dropped);

    public void Enqueue(T row)
    {
        if (!pending.Writer.TryWrite(row))
        {
            Interlocked.Increment(ref dropped);
        }
    }

    /// <summary>Writes the batch in one transaction; throws to have it retried.</summary>
    protected abstract Task WriteAsync(List<T> batch, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<T>(batchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (batch.Count == 0 && !await pending.Reader.WaitToReadAsync(stoppingToken))
                {
                    return;
                }

                while (batch.Count < batchSize && pending.Reader.TryRead(out var row))
                {
                    batch.Add(row);
                }

                await WriteAsync(batch, stoppingToken);
                Interlocked.Add(ref written, batch.Count);
                batch.Clear();
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                LogWriteFailed(logger, batch.Count, typeof(T).Name, error.GetBaseException().Message);
                try
                {
                    await Task.Delay(retryDelay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} {Row} row(s), will retry: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string row, string reason);
}
