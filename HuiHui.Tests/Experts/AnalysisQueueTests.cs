using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Simulation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Experts;

/// <summary>The analysis queue: only a symbol's newest snapshot waits, one worker per symbol at a time, in time order.</summary>
public sealed class AnalysisQueueTests
{
    private static readonly SimulatedMarket Market = new(Options.Create(new SimulatorOptions { HistoryDays = 20 }), TimeProvider.System);

    private static ChainSnapshot Snapshot(string symbol, int minute) => Market.Snapshot("SPY", (20L * TradingCalendar.MinutesPerDay) + minute) with { Symbol = symbol };

    [Test]
    public async Task WhileASymbolIsBeingAnalysed_OnlyItsNewestSnapshotWaits_AndOtherSymbolsGoOn()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var analysed = new List<(string Symbol, DateTimeOffset AsOf)>();
        var running = 0;
        var maxRunningSpy = 0;
        await using var queue = new AnalysisQueue(async (snapshot, _, token) =>
        {
            if (snapshot.Symbol == "SPY")
            {
                maxRunningSpy = Math.Max(maxRunningSpy, Interlocked.Increment(ref running));
                started.TrySetResult();
                await release.Task.WaitAsync(token);
                Interlocked.Decrement(ref running);
            }

            lock (analysed)
            {
                analysed.Add((snapshot.Symbol, snapshot.AsOf));
            }
        }, workers: 3, TimeProvider.System, NullLogger.Instance);

        queue.Offer(Snapshot("SPY", 0));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        queue.Offer(Snapshot("SPY", 1));
        queue.Offer(Snapshot("SPY", 3));
        queue.Offer(Snapshot("SPY", 2)); // older than the one waiting: dropped
        queue.Offer(Snapshot("QQQ", 1));
        await Poller.UntilAsync(() => Task.FromResult(analysed.Count(a => a.Symbol == "QQQ")), n => n == 1, TimeSpan.FromSeconds(10), "QQQ analysed while SPY is busy");

        Assert.That((queue.Waiting, queue.Superseded), Is.EqualTo((1, 2L)), "one SPY snapshot waits; two were replaced");
        release.SetResult();
        await Poller.UntilAsync(() => Task.FromResult(analysed.Count(a => a.Symbol == "SPY")), n => n == 2, TimeSpan.FromSeconds(10), "SPY's newest analysed");

        Assert.That(analysed.Where(a => a.Symbol == "SPY").Select(a => a.AsOf), Is.EqualTo(new[] { Snapshot("SPY", 0).AsOf, Snapshot("SPY", 3).AsOf }));
        Assert.That(maxRunningSpy, Is.EqualTo(1), "one worker per symbol at a time");
        Assert.That(queue.Waiting, Is.Zero);
    }

    [Test]
    public async Task AFailedAnalysis_IsLogged_AndTheSymbolsNextSnapshotIsStillAnalysed()
    {
        var analysed = new List<DateTimeOffset>();
        await using var queue = new AnalysisQueue((snapshot, _, _) =>
        {
            lock (analysed)
            {
                analysed.Add(snapshot.AsOf);
            }

            return analysed.Count == 1 ? Task.FromException(new InvalidOperationException("boom")) : Task.CompletedTask;
        }, workers: 1, TimeProvider.System, NullLogger.Instance);

        queue.Offer(Snapshot("SPY", 0));
        await Poller.UntilAsync(() => Task.FromResult(analysed.Count), n => n == 1, TimeSpan.FromSeconds(10), "the first analysis");
        queue.Offer(Snapshot("SPY", 1));

        await Poller.UntilAsync(() => Task.FromResult(analysed.Count), n => n == 2, TimeSpan.FromSeconds(10), "the next snapshot after a failure");
    }
}
