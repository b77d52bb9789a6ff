using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Pipeline;

/// <summary>
/// Fetches every watch-list symbol once per interval. Cycles start on a fixed schedule (start + n × interval, no drift
/// from the time a cycle takes; a cycle that overruns skips the ticks it missed). A changed interval or watch-list
/// applies at once: the wait is cut short and the schedule restarts from the last cycle's start. With several nodes, a
/// cycle fetches the symbols this node holds (<see cref="ISymbolLeases"/>).
/// </summary>
internal sealed partial class IngestionLoop(
    IServiceScopeFactory scopes,
    IngestionState state,
    ISymbolLeases leases,
    IEnumerable<Shared.Hosting.IStartupWarmup> warmups,
    Shared.Hosting.LiveStart liveStart,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<IngestionLoop> logger) : BackgroundService
{
    private long cycles;

    /// <summary>Completed cycles since start (for tests and the health panel).</summary>
    public long Cycles => Interlocked.Read(ref cycles);

    /// <summary>When the loop started (null before, or when it is off).</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>When the last cycle finished.</summary>
    public DateTimeOffset? LastCycleAt { get; private set; }

    /// <summary>When the next cycle is due; set once the wait for it has begun.</summary>
    public DateTimeOffset? NextCycle { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            liveStart.Open();
            return;
        }

        // The first cycle waits for the start-up warm-ups (analysis compiled, gate and index loaded), at most WarmupWait.
        if (options.Value.WarmupWait > TimeSpan.Zero && !await Shared.Hosting.StartupWarmups.RunAsync(warmups, options.Value.WarmupWait, stoppingToken))
        {
            LogWarmupLate(logger, options.Value.WarmupWait.TotalSeconds);
        }

        var cycleStart = time.GetUtcNow();
        StartedAt = cycleStart;
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = state.Changed;
            var leasesChanged = leases.Changed;
            var fetched = Held();
            await RunCycleAsync(fetched, stoppingToken);
            if (Interlocked.Increment(ref cycles) == 1)
            {
                OpenLiveStartSoon();
            }

            LastCycleAt = time.GetUtcNow();
            await BeatAsync(stoppingToken);

            while (true)
            {
                var interval = state.Interval;
                var now = time.GetUtcNow();
                var next = cycleStart + interval;
                if (next <= now)
                {
                    next = cycleStart + interval * (Math.Floor((now - cycleStart) / interval) + 1); // overran: skip the missed ticks
                }

                var wait = Task.Delay(next - now, time, stoppingToken);
                NextCycle = next;
                var finished = await Task.WhenAny(wait, changed, leasesChanged);
                if (finished == changed)
                {
                    changed = state.Changed;
                    continue; // new interval: recompute the next tick from the same cycle start
                }

                if (finished == leasesChanged)
                {
                    // Several nodes: symbols just taken over (a node died or left) are fetched now, not at the next tick.
                    leasesChanged = leases.Changed;
                    var gained = Held().Except(fetched, StringComparer.Ordinal).ToList();
                    fetched.AddRange(gained);
                    await RunCycleAsync(gained, stoppingToken);
                    continue;
                }

                await wait; // observes cancellation
                cycleStart = next;
                break;
            }
        }
    }

    /// <summary>
    /// The first cycle has handed its snapshots to the analysis: first-start work may begin once those analyses had a
    /// moment (the interval, at most <see cref="LiveStartSettle"/>), so it does not slow them down.
    /// </summary>
    private void OpenLiveStartSoon()
    {
        var settle = state.Interval < LiveStartSettle ? state.Interval : LiveStartSettle;
        _ = Task.Delay(settle, time).ContinueWith(_ => liveStart.Open(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static readonly TimeSpan LiveStartSettle = TimeSpan.FromSeconds(3);

    /// <summary>The watch-list's symbols this node holds a lease on (one node alone: all of them).</summary>
    private List<string> Held() => [.. state.WatchList.Where(s => leases.Holds(s) is not null)];

    private async Task RunCycleAsync(List<string> symbols, CancellationToken cancellationToken)
    {
        if (symbols.Count == 0)
        {
            return;
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = cancellationToken };
        try
        {
            await Parallel.ForEachAsync(symbols, parallel, async (symbol, token) =>
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new IngestSnapshot(symbol), token);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    LogCycleFailed(logger, error, symbol);
                }
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RecordHeartbeat(Components.IngestionLoop), cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogCycleFailed(logger, error, "(heartbeat)");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingesting {Symbol} failed")]
    private static partial void LogCycleFailed(ILogger logger, Exception exception, string symbol);

    [LoggerMessage(Level = LogLevel.Information, Message = "The start-up warm-ups took longer than {Seconds:F0} s; the first cycle starts without them")]
    private static partial void LogWarmupLate(ILogger logger, double seconds);
}
