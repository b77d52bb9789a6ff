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
        return cached is { Value: var snapshot, IsStale: var stale } ? new LatestQuote(snapshot.Quote, snapshot.Source, stale) : null;
    }
}
