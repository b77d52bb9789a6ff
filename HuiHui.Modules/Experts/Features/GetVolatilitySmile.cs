using FluentValidation;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Pricing;
using Mediator;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetVolatilitySmileValidator : AbstractValidator<GetVolatilitySmile>
{
    public GetVolatilitySmileValidator()
    {
        RuleFor(q => q.Symbol).NotEmpty().MaximumLength(16);
        RuleFor(q => q.Expiries).InclusiveBetween(1, 12);
    }
}

internal sealed class GetVolatilitySmileHandler(IEnhancedCache cache, IOptions<MetricsOptions> options) : IQueryHandler<GetVolatilitySmile, VolatilitySmile?>
{
    private const double MinYears = 2.0 / 365;

    public async ValueTask<VolatilitySmile?> Handle(GetVolatilitySmile query, CancellationToken cancellationToken)
    {
        var cached = await cache.TryGetAsync(MarketDataKeys.Snapshot(query.Symbol), cancellationToken);
        if (cached is not { Value: var snapshot })
        {
            return null;
        }

        var rate = options.Value.RiskFreeRate;
        var dividend = options.Value.DividendYieldFor(snapshot.Symbol);
        var byExpiry = snapshot.Contracts
            .GroupBy(c => c.Expiry)
            .Select(g => (Expiry: g.Key, Years: ExpiryClock.YearsTo(snapshot.AsOf, g.Key), Contracts: g))
            .Where(e => e.Years > 0)
            .OrderBy(e => e.Years)
            .ToList();
        // Skip same-day and next-day expiries when longer ones exist: their smiles are mostly noise.
        var usable = byExpiry.Any(e => e.Years >= MinYears) ? byExpiry.Where(e => e.Years >= MinYears) : byExpiry;

        var curves = new List<SmileCurve>();
        foreach (var (expiry, years, contracts) in usable.Take(query.Expiries))
        {
            var points = new List<SmilePoint>();
            foreach (var contract in contracts.Where(c => c.Right == OptionRight.Put ? c.Strike < snapshot.Spot : c.Strike >= snapshot.Spot).OrderBy(c => c.Strike))
            {
                var iv = contract.ImpliedVol is > 0 and < 5 ? contract.ImpliedVol
                    : contract.Mid is { } mid ? BlackScholes.ImpliedVol(contract.Right, mid, snapshot.Spot, contract.Strike, years, rate, dividend) : null;
                if (iv is { } value)
                {
                    points.Add(new SmilePoint(contract.Strike, value));
                }
            }

            if (points.Count > 0)
            {
                curves.Add(new SmileCurve(expiry, points));
            }
        }

        return new VolatilitySmile(snapshot.Symbol, snapshot.AsOf, snapshot.Spot, curves);
    }
}
