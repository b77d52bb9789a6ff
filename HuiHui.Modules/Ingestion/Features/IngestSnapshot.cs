using FluentValidation;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Flow;
using HuiHui.Modules.Ingestion.Pipeline;
using HuiHui.Modules.Ingestion.Providers;
using HuiHui.Modules.Ingestion.Validation;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class IngestSnapshotValidator : AbstractValidator<IngestSnapshot>
{
    public IngestSnapshotValidator()
    {
        RuleFor(c => c.Symbol).NotEmpty().Matches(SymbolRules.Pattern).WithMessage(SymbolRules.Message);
    }
}

/// <summary>
/// Fetches a validated snapshot (falling back through the providers), merges configured headline sources, caches it in the
/// raw tier and announces it. When every provider fails the cache keeps the last good snapshot (served stale after its TTL).
/// </summary>
internal sealed partial class IngestSnapshotHandler(
    ProviderRouter router,
    IEnumerable<INewsProvider> newsProviders,
    IEnhancedCache cache,
    IngestionState state,
    IOptions<IngestionOptions> options,
    IMediator mediator,
    FlowTapes tapes,
    IngestionMetrics metrics,
    TimeProvider time,
    ILogger<IngestSnapshotHandler> logger) : ICommandHandler<IngestSnapshot, IngestResult>
{
    public async ValueTask<IngestResult> Handle(IngestSnapshot command, CancellationToken cancellationToken)
    {
        var symbol = command.Symbol.Trim().ToUpperInvariant();
        using var activity = HuiHui.Modules.Shared.Telemetry.PipelineTelemetry.Source.StartActivity("ingest");
        activity?.SetTag("huihui.symbol", symbol);
        var (snapshot, errors) = await router.FetchAsync(symbol, command.Source, cancellationToken);
        var now = time.GetUtcNow();
        if (snapshot is null)
        {
            var error = string.Join("; ", errors);
            state.RecordSymbol(symbol, s => s with { LastError = error });
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error);
            LogAllFailed(logger, symbol, error);
            return new IngestResult(symbol, false, null, null, 0, [], errors);
        }

        var allErrors = errors.ToList();
        var taped = tapes.For(symbol).Apply(snapshot);
        if (taped.Snapshot is null)
        {
            // A repeat (or an older one) of what is cached: nothing changes, the last good snapshot keeps serving. A repeat
            // (a closed market's feed sends the same last snapshot) is put back when the cache has let the last one go
            // past its stale window, so the snapshot the feed still serves stays readable.
            if (taped.Rejected == "duplicate-snapshot" && await cache.TryGetAsync(MarketDataKeys.Snapshot(symbol), cancellationToken) is null)
            {
                await cache.SetAsync(MarketDataKeys.Snapshot(symbol), snapshot, cancellationToken);
            }

            IReadOnlyList<DropCount> refused = [new DropCount(taped.Rejected!, 1)];
            metrics.Refused(taped.Rejected!);
            LogRefused(logger, symbol, taped.Warning!);
            allErrors.Add(taped.Warning!);
            return new IngestResult(symbol, true, snapshot.Source, snapshot.AsOf, snapshot.Contracts.Count, refused, allErrors);
        }

        if (taped.Warning is { } warning)
        {
            LogFlowWarning(logger, warning);
        }

        snapshot = await WithNewsAsync(taped.Snapshot, allErrors, cancellationToken);
        await cache.SetAsync(MarketDataKeys.Snapshot(symbol), snapshot, cancellationToken);
        metrics.Ingested(snapshot);
        activity?.SetTag("huihui.source", snapshot.Source);
        activity?.SetTag("huihui.contracts", snapshot.Contracts.Count);
        var dropped = snapshot.Dropped.Sum(d => d.Count);
        state.RecordSymbol(symbol, s => s with
        {
            LastSource = snapshot.Source, LastAsOf = snapshot.AsOf, LastFetched = now, Contracts = snapshot.Contracts.Count, Dropped = dropped,
            LastError = errors.Count > 0 ? string.Join("; ", errors) : null,
        });
        await mediator.Publish(new SnapshotIngested(symbol, snapshot.AsOf, snapshot.Source, snapshot.Contracts.Count, dropped, snapshot, command.OnDemand), cancellationToken);
        return new IngestResult(symbol, true, snapshot.Source, snapshot.AsOf, snapshot.Contracts.Count, snapshot.Dropped, allErrors);
    }

    private async Task<ChainSnapshot> WithNewsAsync(ChainSnapshot snapshot, List<string> errors, CancellationToken cancellationToken)
    {
        var wanted = options.Value.NewsProviders;
        if (wanted.Count == 0)
        {
            return snapshot;
        }

        var news = snapshot.News.ToList();
        foreach (var provider in newsProviders.Where(p => wanted.Contains(p.Name, StringComparer.OrdinalIgnoreCase) && p.Name != snapshot.Source))
        {
            try
            {
                news.AddRange(await provider.GetNewsAsync(snapshot.Symbol, snapshot.AsOf.AddDays(-1), cancellationToken));
            }
            catch (Exception error) when (error is ProviderUnavailableException or ProviderPayloadException)
            {
                errors.Add(error.Message);
            }
        }

        return SnapshotValidator.Validate(snapshot with { News = news.DistinctBy(n => n.Id).OrderByDescending(n => n.PublishedAt).ToList() });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of {Symbol} not used: {Reason}")]
    private static partial void LogRefused(ILogger logger, string symbol, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Derived flow: {Warning}")]
    private static partial void LogFlowWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No provider could give a snapshot of {Symbol}; the cache keeps the last good one. {Errors}")]
    private static partial void LogAllFailed(ILogger logger, string symbol, string errors);
}

/// <summary>What a ticker may look like: letters, digits and . ^ _ - (e.g. BRK.B, ^VIX), at most 10.</summary>
internal static class SymbolRules
{
    public const string Pattern = @"^[A-Za-z0-9.^_\-]{1,10}$";
    public const string Message = "'{PropertyValue}' is not a ticker symbol: 1-10 letters, digits or . ^ _ -";
}
