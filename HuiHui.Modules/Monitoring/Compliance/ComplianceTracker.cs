using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Monitoring.Features;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Monitoring.Compliance;

/// <summary>
/// Every <see cref="ComplianceOptions.Interval"/>: measures (expert persistence, spool, stage p99 from
/// <c>orchestrator_stats</c>, each symbol's last fetch, cache hit ratio, heartbeats), evaluates <see cref="ComplianceRules"/>,
/// raises an alert (source <c>compliance</c>) for each rule that fires and resolves it when it clears.
/// A measurement that cannot be taken (database down) leaves its rules as they were.
/// </summary>
internal sealed partial class ComplianceTracker(
    IServiceScopeFactory scopes,
    HeartbeatRegistry heartbeats,
    ISymbolLeases leases,
    IOptions<ComplianceOptions> options,
    TimeProvider time,
    ILogger<ComplianceTracker> logger) : BackgroundService
{
    public const string Source = "compliance";

    private readonly DateTimeOffset started = time.GetUtcNow();
    private readonly HashSet<string> firing = new(StringComparer.Ordinal);
    private PersistenceStatus? lastPersistence;
    private long? lastSpoolBytes;
    private (long Hits, long Lookups)? lastCache;

    /// <summary>Codes firing after the last evaluation.</summary>
    public IReadOnlyCollection<string> Firing => [.. firing];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (true)
        {
            try
            {
                if (!await timer.WaitForNextTickAsync(stoppingToken))
                {
                    return;
                }

                await EvaluateAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                LogFailed(logger, error.GetBaseException().Message);
            }
        }
    }

    public async Task<IReadOnlyList<RuleResult>> EvaluateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var now = time.GetUtcNow();
        var settings = options.Value;

        var persistence = await mediator.Send(new GetPersistenceStatus(), cancellationToken);
        var before = lastPersistence ?? persistence with { Enqueued = 0, Rejected = 0 };
        lastPersistence = persistence;
        // Every background writer's spool (responses, feature vectors, stats), not only the responses'.
        var spoolBytes = (await mediator.Send(new GetWriterStatuses(), cancellationToken)).Sum(w => w.SpoolBytes);
        var spoolBytesBefore = lastSpoolBytes ?? spoolBytes;
        lastSpoolBytes = spoolBytes;
        var produced = persistence.Enqueued - before.Enqueued;
        var persisted = produced - (persistence.Rejected - before.Rejected);

        var ingestion = await mediator.Send(new GetIngestionStatus(), cancellationToken);
        var cache = await mediator.Send(new GetCacheStats(), cancellationToken);
        long hits = cache.Tiers.Sum(t => t.MemoryHits + t.DiskHits), lookups = hits + cache.Tiers.Sum(t => t.Misses);
        var cacheBefore = lastCache ?? (0, 0);
        lastCache = (hits, lookups);

        var p99 = await StageP99Async(scope.ServiceProvider.GetRequiredService<MonitoringDbContext>(), now - settings.Window, cancellationToken);
        var inputs = new ComplianceInputs(now, started, produced, persisted, spoolBytes, spoolBytesBefore, p99,
            // Several nodes: a node answers for the symbols it holds; the others' are theirs to watch.
            ingestion.Symbols.Where(s => ingestion.WatchList.Contains(s.Symbol) && leases.Holds(s.Symbol) is not null).ToDictionary(s => s.Symbol, s => s.LastFetched),
            ingestion.Interval, ingestion.Running, hits - cacheBefore.Hits, lookups - cacheBefore.Lookups,
            heartbeats.Snapshot().ToDictionary(b => b.Key, b => b.Value.At));

        var results = ComplianceRules.Evaluate(inputs, settings);
        foreach (var result in results)
        {
            if (result.Firing)
            {
                await mediator.Send(new RaiseAlert(Source, result.Code, result.Severity, result.Message), cancellationToken);
                firing.Add(result.Code);
            }
            else if (firing.Remove(result.Code))
            {
                await mediator.Send(new ResolveAlert(Source, result.Code), cancellationToken);
            }
        }

        // A rule that no longer applies here (a symbol left the watch-list, or moved to another node) is resolved.
        var evaluated = results.Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var code in firing.Where(c => !evaluated.Contains(c)).ToList())
        {
            firing.Remove(code);
            await mediator.Send(new ResolveAlert(Source, code), cancellationToken);
        }

        return results;
    }

    private static async Task<IReadOnlyDictionary<string, double>> StageP99Async(MonitoringDbContext db, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<StageP99>(
            $"""
            SELECT stage, percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99
            FROM usage_stats.orchestrator_stats WHERE occurred_at >= {since} GROUP BY stage
            """).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Stage, r => r.P99);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compliance check failed, will retry: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);

    private sealed record StageP99(string Stage, double P99);
}
