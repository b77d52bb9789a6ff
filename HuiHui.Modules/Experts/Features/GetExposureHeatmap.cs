using FluentValidation;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetExposureHeatmapValidator : AbstractValidator<GetExposureHeatmap>
{
    public GetExposureHeatmapValidator()
    {
        RuleFor(q => q.Symbol).NotEmpty().MaximumLength(16);
        RuleFor(q => q.Kind).IsInEnum();
        RuleFor(q => q.StrikeRangePercent).InclusiveBetween(0.5, 100);
    }
}

/// <summary>
/// The heatmap of the cached snapshot, or of the chain archived at <see cref="GetExposureHeatmap.At"/>, with the metrics' own
/// greeks (<see cref="ChainArrays"/>); null when there is none. IVSDH reads the session's first archived chain as its
/// reference (kept per symbol and day, so a replay pays for it once).
/// </summary>
internal sealed class GetExposureHeatmapHandler(IEnhancedCache cache, IMediator mediator, IOptions<MetricsOptions> options, HeatmapReferences references) : IQueryHandler<GetExposureHeatmap, ExposureHeatmap?>
{
    public async ValueTask<ExposureHeatmap?> Handle(GetExposureHeatmap query, CancellationToken cancellationToken)
    {
        var symbol = query.Symbol.Trim().ToUpperInvariant();
        ChainSnapshot? snapshot;
        if (query.At is { } at)
        {
            snapshot = await HeatmapReferences.ArchivedAsync(mediator, symbol, at, at, cancellationToken);
        }
        else
        {
            snapshot = await cache.TryGetAsync(MarketDataKeys.Snapshot(symbol), cancellationToken) is { Value: var cached } ? cached : null;
        }

        if (snapshot is null)
        {
            return null;
        }

        var settings = options.Value;
        var range = query.StrikeRangePercent / 100;
        using var chain = ChainArrays.From(snapshot, settings.RiskFreeRate, settings.DividendYieldFor(snapshot.Symbol));
        double[] strikes;
        DateOnly[] expiries;
        double[][] values;
        DateTimeOffset? reference = null;
        string? note = null;
        switch (query.Kind)
        {
            case ExposureKind.Sgdhp or ExposureKind.Ugch:
            {
                var cells = EotsHeatmaps.Collect(chain, query.ByVolume, range);
                (strikes, expiries) = (cells.Strikes, cells.Expiries);
                values = query.Kind == ExposureKind.Sgdhp ? EotsHeatmaps.Sgdhp(cells, chain.Spot, settings.Eots.SgdhpProximity) : EotsHeatmaps.Ugch(cells, settings.Eots.Ugch);
                break;
            }

            case ExposureKind.Ivsdh:
            {
                var cells = EotsHeatmaps.Collect(chain, query.ByVolume, range);
                (strikes, expiries) = (cells.Strikes, cells.Expiries);
                var open = await references.OpenAsync(mediator, snapshot, range, cancellationToken);
                if (open is null)
                {
                    values = [.. cells.Iv.Select(row => new double[row.Length])];
                    note = $"no chain of {snapshot.Symbol} archived earlier on {snapshot.AsOf.UtcDateTime:yyyy-MM-dd} to measure from: Ingestion archives one every few minutes";
                }
                else
                {
                    values = EotsHeatmaps.Ivsdh(cells, open.Value.Cells);
                    reference = open.Value.AsOf;
                }

                break;
            }

            default:
                (strikes, expiries, values) = StructureMetrics.Grid(chain, query.Kind, query.ByVolume, range);
                break;
        }

        return new ExposureHeatmap(snapshot.Symbol, snapshot.AsOf, snapshot.Spot, query.Kind, query.ByVolume, strikes, expiries,
            [.. values.Select(row => (IReadOnlyList<double>)[.. row.Select(v => Math.Round(v, 4))])], reference, note);
    }
}
