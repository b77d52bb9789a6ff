using FluentValidation;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class GetLatestQuoteValidator : AbstractValidator<GetLatestQuote>
{
    public GetLatestQuoteValidator() => RuleFor(q => q.Symbol).NotEmpty().MaximumLength(16);
}

internal sealed class GetLatestQuoteHandler(IEnhancedCache cache) : IQueryHandler<GetLatestQuote, LatestQuote?>
{
    public async ValueTask<LatestQuote?> Handle(GetLatestQuote query, CancellationToken cancellationToken)
    {
        var cached = await cache.TryGetAsync(MarketDataKeys.Snapshot(query.Symbol), cancellationToken);
        if (cached is not { Value: var snapshot, IsStale: var stale })
        {
            return null;
        }

        // Between polls a streaming provider's quote is newer than the snapshot's.
        var streamed = await cache.TryGetAsync(MarketDataKeys.StreamQuote(query.Symbol), cancellationToken);
        return streamed is { Value: var live, IsStale: false } && live.AsOf > snapshot.Quote.AsOf
            ? new LatestQuote(live, snapshot.Source + "-stream", false)
            : new LatestQuote(snapshot.Quote, snapshot.Source, stale);
    }
}
