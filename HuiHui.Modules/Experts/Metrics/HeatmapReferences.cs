using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts.Metrics;

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
