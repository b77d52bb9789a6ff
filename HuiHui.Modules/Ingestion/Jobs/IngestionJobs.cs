using System.ComponentModel;
using Hangfire;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Pipeline;
using Mediator;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Jobs;

/// <summary>
/// Hangfire entry points; each sends one command. The nightly backfill enqueues one job per watch-list symbol, so the
/// dashboard shows its progress symbol by symbol.
/// </summary>
internal sealed class IngestionJobs(IMediator mediator, IngestionState state, IOptions<IngestionOptions> options, IBackgroundJobClient jobs, TimeProvider timeProvider)
{
    public const string ArchiveId = "ingestion:archive";

    /// <summary>The archive job's id before it ran every minute: removed at start.</summary>
    public const string FormerArchiveId = "ingestion:hourly-archive";
    public const string BackfillId = "ingestion:nightly-backfill";
    public const string PruneId = "ingestion:prune-news";

    /// <summary>Every minute, so the spool stays small at 1 s cycles; one run at a time (the next minute retries a failure).</summary>
    [DisplayName("Archive spooled snapshots")]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 50)]
    public async Task<ArchiveReport> ArchiveAsync(CancellationToken cancellationToken) =>
        await mediator.Send(new ArchiveSpooledSnapshots(), cancellationToken);

    /// <summary>Ingestion prunes its own archive: headlines past <c>NewsRetentionDays</c> (quotes and bars go by day partitions).</summary>
    [DisplayName("Prune archived headlines past their retention")]
    public async Task<PruneReport> PruneNewsAsync(CancellationToken cancellationToken) =>
        options.Value.NewsRetentionDays > 0
            ? await mediator.Send(new PruneArchive(timeProvider.GetUtcNow().AddDays(-options.Value.NewsRetentionDays)), cancellationToken)
            : new PruneReport(new Dictionary<string, int>());

    [DisplayName("Nightly backfill: enqueue one job per watch-list symbol")]
    public Task<int> NightlyBackfillAsync()
    {
        var days = options.Value.BackfillDays;
        foreach (var symbol in state.WatchList)
        {
            jobs.Enqueue<IngestionJobs>(j => j.BackfillSymbolAsync(symbol, days, CancellationToken.None));
        }

        return Task.FromResult(state.WatchList.Count);
    }

    [DisplayName("Backfill {0}: {1} days of daily history")]
    [AutomaticRetry(Attempts = 3)]
    public async Task<BackfillSymbolResult> BackfillSymbolAsync(string symbol, int days, CancellationToken cancellationToken)
    {
        var report = await mediator.Send(new BackfillHistory([symbol], days), cancellationToken);
        var result = report.Symbols.Single();
        return result.Error is null ? result : throw new InvalidOperationException($"backfill of {symbol} failed: {result.Error}");
    }
}
