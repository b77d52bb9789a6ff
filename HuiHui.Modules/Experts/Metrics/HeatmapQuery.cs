using FluentValidation;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Microsoft.Extensions.Caching.Memory;
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

/// <summary>The times of the day's archived chains, from the archive's (underlying, as_of) index.</summary>
internal sealed class GetHeatmapTimesHandler(IMediator mediator) : IQueryHandler<GetHeatmapTimes, IReadOnlyList<DateTimeOffset>>
{
    public async ValueTask<IReadOnlyList<DateTimeOffset>> Handle(GetHeatmapTimes query, CancellationToken cancellationToken)
    {
        var from = new DateTimeOffset(query.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return await mediator.Send(new GetArchivedChainTimes(query.Symbol.Trim().ToUpperInvariant(), from, from.AddDays(1).AddTicks(-1)), cancellationToken);
    }
}

/// <summary>
/// The session's first archived chain of a symbol, as heatmap cells, kept per (symbol, day, strike range) for two hours
/// (64 at most): the reference IVSDH measures the change of implied volatility from.
/// </summary>
internal sealed class HeatmapReferences(IOptions<MetricsOptions> options) : IDisposable
{
    private readonly MemoryCache opens = new(new MemoryCacheOptions { SizeLimit = 64 });

    public async Task<(DateTimeOffset AsOf, EotsHeatmaps.Cells Cells)?> OpenAsync(IMediator mediator, ChainSnapshot snapshot, double range, CancellationToken cancellationToken)
    {
        var day = DateOnly.FromDateTime(snapshot.AsOf.UtcDateTime);
        var key = (snapshot.Symbol, day, range);
        if (opens.TryGetValue(key, out (DateTimeOffset AsOf, EotsHeatmaps.Cells Cells) kept) && kept.AsOf <= snapshot.AsOf)
        {
            return kept;
        }

        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var times = await mediator.Send(new GetArchivedChainTimes(snapshot.Symbol, from, snapshot.AsOf), cancellationToken);
        if (times.Count == 0 || await ArchivedAsync(mediator, snapshot.Symbol, times[0], times[0], cancellationToken) is not { } open)
        {
            return null;
        }

        var settings = options.Value;
        using var chain = ChainArrays.From(open, settings.RiskFreeRate, settings.DividendYieldFor(open.Symbol));
        var cells = EotsHeatmaps.Collect(chain, byVolume: false, range);
        opens.Set(key, (open.AsOf, cells), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(2) });
        return (open.AsOf, cells);
    }

    /// <summary>The first chain archived within [<paramref name="from"/>, <paramref name="to"/>], or null.</summary>
    public static async Task<ChainSnapshot?> ArchivedAsync(IMediator mediator, string symbol, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in mediator.CreateStream(new ReplaySnapshots(symbol, ReplaySnapshots.Archive, from, to), cancellationToken))
            {
                return frame.Snapshot;
            }
        }
        catch (ReplayUnavailableException)
        {
            // Nothing archived then.
        }

        return null;
    }

    public void Dispose() => opens.Dispose();
}
