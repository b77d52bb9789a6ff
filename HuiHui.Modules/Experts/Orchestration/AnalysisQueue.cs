using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HuiHui.Modules.Shared.Telemetry;
using System.Threading.Channels;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>
/// Takes the analysis off the fetch path: ingestion offers each snapshot and goes on; workers (<c>AnalysisWorkers</c>, one
/// per core by default) analyse them. Only the newest snapshot of a symbol waits — one that arrives while the symbol is
/// waiting replaces it (counted as superseded) — and a symbol is analysed by one worker at a time, in time order, so the
/// queue holds at most one snapshot per symbol however far the analysis falls behind. The workers start with the first
/// snapshot offered and stop when the process does.
/// </summary>
internal sealed partial class AnalysisQueue : IAsyncDisposable
{
    private readonly Func<ChainSnapshot, double, CancellationToken, Task> analyse;
    private readonly int workerCount;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    private readonly ConcurrentDictionary<string, (ChainSnapshot Snapshot, long Offered)> waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> scheduled = new(StringComparer.Ordinal);
    private readonly Channel<string> ready = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private Task[]? workers;
    private long superseded;

    public AnalysisQueue(IServiceScopeFactory scopes, AnalysisRunner runner, ISymbolLeases leases, IOptions<ExpertsOptions> options, IMeterFactory meters, TimeProvider time, ILogger<AnalysisQueue> logger)
        : this((snapshot, waitedMs, token) => RunAsync(scopes, runner, leases, snapshot, waitedMs, token), options.Value.AnalysisWorkers, time, logger)
    {
        var meter = meters.Create(PipelineTelemetry.ExpertsMeter);
        meter.CreateObservableCounter("huihui.analysis.superseded", () => Superseded, description: "Ingested snapshots replaced by a newer one of their symbol before they were analysed");
        meter.CreateObservableGauge("huihui.analysis.waiting", () => Waiting, description: "Symbols with a snapshot waiting for an analysis worker");
    }

    /// <param name="analyse">Runs one analysis (the snapshot, milliseconds it waited in the queue).</param>
    /// <param name="workers">Workers; 0 for one per core.</param>
    internal AnalysisQueue(Func<ChainSnapshot, double, CancellationToken, Task> analyse, int workers, TimeProvider time, ILogger logger)
    {
        this.analyse = analyse;
        workerCount = workers > 0 ? workers : Environment.ProcessorCount;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Snapshots replaced by a newer one of the same symbol before they were analysed.</summary>
    public long Superseded => Interlocked.Read(ref superseded);

    /// <summary>Symbols with a snapshot waiting.</summary>
    public int Waiting => waiting.Count;

    /// <summary>Completes when no snapshot waits and none is being analysed, or after <paramref name="timeout"/> (the tests wait on it before emptying the tables).</summary>
    public async Task WhenIdleAsync(TimeSpan timeout)
    {
        var deadline = time.GetTimestamp();
        while (!scheduled.IsEmpty && time.GetElapsedTime(deadline) < timeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), time);
        }
    }

    public void Offer(ChainSnapshot snapshot)
    {
        var offered = time.GetTimestamp();
        waiting.AddOrUpdate(snapshot.Symbol, (snapshot, offered), (_, before) =>
        {
            Interlocked.Increment(ref superseded);
            return before.Snapshot.AsOf > snapshot.AsOf ? before : (snapshot, offered);
        });
        Schedule(snapshot.Symbol);
        EnsureStarted();
    }

    private void Schedule(string symbol)
    {
        if (scheduled.TryAdd(symbol, 0))
        {
            ready.Writer.TryWrite(symbol);
        }
    }

    private void EnsureStarted()
    {
        if (workers is not null)
        {
            return;
        }

        lock (gate)
        {
            workers ??= [.. Enumerable.Range(0, workerCount).Select(_ => Task.Run(WorkAsync))];
        }
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var symbol in ready.Reader.ReadAllAsync(stopping.Token))
            {
                while (waiting.TryRemove(symbol, out var next))
                {
                    await AnalyseAsync(next.Snapshot, time.GetElapsedTime(next.Offered).TotalMilliseconds);
                }

                scheduled.TryRemove(symbol, out _);
                if (waiting.ContainsKey(symbol))
                {
                    Schedule(symbol); // offered between the last take and the release above
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The process is stopping.
        }
    }

    private async Task AnalyseAsync(ChainSnapshot snapshot, double waitedMs)
    {
        try
        {
            await analyse(snapshot, waitedMs, stopping.Token);
        }
        catch (RefusedRequestException refused)
        {
            LogSkipped(logger, snapshot.Symbol, refused.Message);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception error)
        {
            LogFailed(logger, error, snapshot.Symbol, snapshot.AsOf);
        }
    }

    /// <summary>One analysis, fenced by this node's lease on the symbol (several nodes): none starts, or is stored, without it.</summary>
    private static async Task RunAsync(IServiceScopeFactory scopes, AnalysisRunner runner, ISymbolLeases leases, ChainSnapshot snapshot, double waitedMs, CancellationToken cancellationToken)
    {
        var lease = leases.Holds(snapshot.Symbol)
            ?? throw new LeaseLostException($"{snapshot.Symbol}: node {leases.NodeId} no longer holds the symbol; its snapshot of {snapshot.AsOf:O} is not analysed here");
        await using var scope = scopes.CreateAsyncScope();
        await runner.RunAsync(snapshot, scope.ServiceProvider.GetRequiredService<IMediator>(), 0, cancellationToken, queuedMs: waitedMs, lease: lease);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        ready.Writer.TryComplete();
        if (workers is { } running)
        {
            await Task.WhenAny(Task.WhenAll(running), Task.Delay(TimeSpan.FromSeconds(5)));
        }

        stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No analysis of {Symbol} this cycle: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string symbol, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The analysis of {Symbol} at {AsOf} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string symbol, DateTimeOffset asOf);
}
