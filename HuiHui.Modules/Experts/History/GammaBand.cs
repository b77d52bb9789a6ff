using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts.History;

/// <summary>
/// The heat band behind "levels through the day": net gamma by strike at each option chain Ingestion archived (every
/// <c>ArchiveChainEvery</c>, 5 min by default), from the archive through <see cref="ReplaySnapshots"/> and the metrics' own
/// exposure code (<see cref="StructureMetrics.Exposures"/>), so a column is what <c>analyze --json</c> said of that snapshot.
/// A day's columns are kept (32 symbol-days at most) and only chains archived since the last request are read, so a live
/// page pays for each chain once.
/// </summary>
internal sealed class GammaBand(IOptions<MetricsOptions> options) : IDisposable
{
    private readonly MemoryCache days = new(new MemoryCacheOptions { SizeLimit = 32 });
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<IReadOnlyList<GammaBandColumn>> ForDayAsync(IMediator mediator, string symbol, DateOnly day, CancellationToken cancellationToken)
    {
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = from.AddDays(1).AddTicks(-1);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var key = (symbol, day);
            var columns = days.Get<List<GammaBandColumn>>(key) ?? [];
            var since = columns.Count > 0 ? columns[^1].AsOf.AddTicks(1) : from;
            try
            {
                await foreach (var frame in mediator.CreateStream(new ReplaySnapshots(symbol, ReplaySnapshots.Archive, since, to), cancellationToken))
                {
                    columns.Add(Column(frame.Snapshot));
                }
            }
            catch (ReplayUnavailableException)
            {
                // Nothing archived in the range (yet): the columns so far stand.
            }

            days.Set(key, columns, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(2) });
            return [.. columns];
        }
        finally
        {
            gate.Release();
        }
    }

    private GammaBandColumn Column(ChainSnapshot snapshot)
    {
        var settings = options.Value;
        using var chain = ChainArrays.From(snapshot, settings.RiskFreeRate, settings.DividendYieldFor(snapshot.Symbol));
        var exposures = StructureMetrics.Exposures(chain, out _);
        var strikes = exposures.ByStrike
            .Where(s => Math.Abs((s.Strike / snapshot.Spot) - 1) <= GammaBandColumn.Window)
            .Select(s => new[] { s.Strike, Math.Round(s.NetGex, 2) })
            .ToList();
        return new GammaBandColumn(snapshot.AsOf, snapshot.Spot, strikes);
    }

    public void Dispose()
    {
        days.Dispose();
        gate.Dispose();
    }
}
