using System.Diagnostics;
using FluentValidation;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;

namespace HuiHui.Modules.Experts.Features;

internal sealed partial class AnalyzeSymbolValidator : AbstractValidator<AnalyzeSymbol>
{
    public AnalyzeSymbolValidator()
    {
        RuleFor(c => c.Slice).Must(s => s is null || s.Problem() is null).WithMessage(c => c.Slice!.Problem());
        RuleFor(c => c.Symbol).NotEmpty().Matches(Ticker()).WithMessage("'{PropertyValue}' is not a ticker symbol: 1-10 letters, digits or . ^ _ -");
    }

    /// <summary>Generated at build time: a pattern built at run time costs each fresh process (a one-shot verb) its parse.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9.^_\-]{1,10}$")]
    private static partial System.Text.RegularExpressions.Regex Ticker();
}

/// <summary>
/// On-demand analysis: the cached snapshot when there is one (and no source was asked for), else a fresh fetch, analysed
/// here (the fetch is marked on demand, so the cycle's queue leaves it to this caller); when the feed had nothing newer than
/// a snapshot the cycle analysed already, that analysis is returned.
/// </summary>
internal sealed class AnalyzeSymbolHandler(IEnhancedCache cache, AnalysisRunner runner, IMediator mediator) : ICommandHandler<AnalyzeSymbol, Analysis>
{
    public async ValueTask<Analysis> Handle(AnalyzeSymbol command, CancellationToken cancellationToken)
    {
        var symbol = command.Symbol.Trim().ToUpperInvariant();
        var started = Stopwatch.GetTimestamp();
        var snapshot = command.Source is null ? (await cache.TryGetAsync(MarketDataKeys.Snapshot(symbol), cancellationToken))?.Value : null;
        if (snapshot is null)
        {
            var result = await mediator.Send(new IngestSnapshot(symbol, command.Source, OnDemand: true), cancellationToken);
            if (!result.Succeeded)
            {
                throw new AnalysisUnavailableException($"no snapshot of {symbol}: {string.Join("; ", result.Errors)}");
            }

            snapshot = (await cache.TryGetAsync(MarketDataKeys.Snapshot(symbol), cancellationToken))?.Value
                ?? throw new AnalysisUnavailableException($"no snapshot of {symbol} in the cache after fetching it");
            if (command.Slice is null && await cache.TryGetAsync(ExpertKeys.Analysis(symbol), cancellationToken) is { } done && done.Value.AsOf == snapshot.AsOf && !done.IsStale)
            {
                return done.Value; // a repeated snapshot (the feed has nothing newer) already analysed by the cycle
            }
        }

        return await runner.RunAsync(snapshot, mediator, Stopwatch.GetElapsedTime(started).TotalMilliseconds, cancellationToken, slice: command.Slice);
    }
}
