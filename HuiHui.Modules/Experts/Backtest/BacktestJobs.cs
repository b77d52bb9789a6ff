using System.ComponentModel;
using System.Text.Json;
using Hangfire;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Experts.Backtest;

/// <summary>
/// The Hangfire job behind the hub's Backtest page: runs a queued <see cref="BacktestRunRecord"/>, writing its progress
/// (snapshots so far) every two seconds and then the report, or why it failed. Not retried: a backtest that failed once
/// (no data in the range, a source that does not exist) fails the same way again; the admin starts another.
/// </summary>
internal sealed class BacktestJobs(IServiceScopeFactory scopes, IPublisher publisher, TimeProvider time)
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";

    /// <summary>An active row without progress for this long belongs to a process that stopped.</summary>
    public static readonly TimeSpan Stale = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(2);

    [DisplayName("Backtest {0}")]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExpertsDbContext>();
        var run = await db.Backtests.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is not { Status: Queued })
        {
            return; // gone, or already run (Hangfire delivers at least once)
        }

        run.Status = Running;
        run.StartedAt = run.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await TellAsync(new BacktestUpdated(id, Running, 0), cancellationToken);

        var progress = new Counter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = ReportProgressAsync(id, progress, stop.Token);
        try
        {
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            var report = await mediator.Send(new RunBacktest(run.Symbols.Split(','), run.Source, run.From, run.To,
                run.EveryMinutes is { } m ? TimeSpan.FromMinutes(m) : null, progress), cancellationToken);
            run.Status = Done;
            run.Snapshots = report.Snapshots;
            run.Report = JsonSerializer.Serialize(report, ExpertsJson.Default.BacktestReport);
        }
        catch (Exception error) when (error is RefusedRequestException or RequestValidationException)
        {
            run.Status = Failed;
            run.Error = error.Message; // says what was wrong with the request, in the admin's words
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Status = Failed;
            run.Error = "stopped: the hub shut down while it ran";
        }
        catch (Exception error)
        {
            run.Status = Failed;
            run.Error = $"failed: {error.GetBaseException().Message}";
        }
        finally
        {
            await stop.CancelAsync();
            await reporter.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        run.FinishedAt = run.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        await TellAsync(new BacktestUpdated(id, run.Status, run.Snapshots), CancellationToken.None);
    }

    /// <summary>Tells the host's pages (a failing listener is logged by the forwarder, never fails the backtest).</summary>
    private async Task TellAsync(BacktestUpdated update, CancellationToken cancellationToken) => await publisher.Publish(update, cancellationToken);

    public static BacktestRun ToRun(BacktestRunRecord r, bool withReport) =>
        new(r.Id, r.RequestedBy, r.Symbols.Split(','), r.Source, r.From, r.To, r.EveryMinutes, r.Status, r.Snapshots, r.RequestedAt, r.StartedAt,
            r.UpdatedAt, r.FinishedAt, r.Error, withReport && r.Report is { } json ? JsonSerializer.Deserialize(json, ExpertsJson.Default.BacktestReport) : null);

    /// <summary>Writes the count of snapshots so far every two seconds, in its own scope (the job's context is busy).</summary>
    private async Task ReportProgressAsync(Guid id, Counter progress, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ProgressEvery, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ExpertsDbContext>();
            var now = time.GetUtcNow();
            var snapshots = progress.Total;
            await db.Backtests.Where(r => r.Id == id && r.Status == Running)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Snapshots, snapshots).SetProperty(r => r.UpdatedAt, now), cancellationToken);
            await TellAsync(new BacktestUpdated(id, Running, snapshots), cancellationToken);
        }
    }

    /// <summary>Snapshots analysed so far over every symbol (each reports its own running count).</summary>
    private sealed class Counter : IProgress<BacktestProgress>
    {
        private readonly Dictionary<string, int> bySymbol = [];

        public int Total
        {
            get
            {
                lock (bySymbol)
                {
                    return bySymbol.Values.Sum();
                }
            }
        }

        public void Report(BacktestProgress value)
        {
            lock (bySymbol)
            {
                bySymbol[value.Symbol] = value.Snapshots;
            }
        }
    }
}
