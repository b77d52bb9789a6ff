using FluentValidation;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts.Metrics;

internal sealed class GetExposureHeatmapValidator : AbstractValidator<GetExposureHeatmap>
{
    public GetExposureHeatmapValidator()
    {
        RuleFor(q => q.Symbol).NotEmpty().MaximumLength(16);
        RuleFor(q => q.Kind).IsInEnum();
        RuleFor(q => q.StrikeRangePercent).InclusiveBetween(0.5, 100);
    }
}

/// <summary>The heatmap from the cached snapshot with the metrics' own greeks (<see cref="ChainArrays"/>); null when none is cached.</summary>
internal sealed class GetExposureHeatmapHandler(IEnhancedCache cache, IOptions<MetricsOptions> options) : IQueryHandler<GetExposureHeatmap, ExposureHeatmap?>
{
    public async ValueTask<ExposureHeatmap?> Handle(GetExposureHeatmap query, CancellationToken cancellationToken)
    {
        if (await cache.TryGetAsync(MarketDataKeys.Snapshot(query.Symbol.Trim().ToUpperInvariant()), cancellationToken) is not { Value: var snapshot })
        {
            return null;
        }

        using var chain = ChainArrays.From(snapshot, options.Value.RiskFreeRate, options.Value.DividendYieldFor(snapshot.Symbol));
        var (strikes, expiries, values) = StructureMetrics.Grid(chain, query.Kind, query.ByVolume, query.StrikeRangePercent / 100);
        return new ExposureHeatmap(snapshot.Symbol, snapshot.AsOf, snapshot.Spot, query.Kind, query.ByVolume, strikes, expiries,
            [.. values.Select(row => (IReadOnlyList<double>)[.. row.Select(v => Math.Round(v, 2))])]);
    }
}
