using System.Collections.Concurrent;
using HuiHui.Modules.Experts.Contracts;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts.Compass;

/// <summary>
/// Keeps each symbol's recent compass readings (this process's live analyses, at most <see cref="CompassOptions.Window"/>)
/// and scores a new reading against them (<see cref="MarketCompass"/>). A live analysis is scored, then added; a replay or an
/// analyst's own slice is scored against the same readings without being added. Readings start over with the process.
/// </summary>
internal sealed class CompassTracker(IOptions<ExpertsOptions> options)
{
    private readonly ConcurrentDictionary<string, History> symbols = new(StringComparer.Ordinal);

    /// <summary>Scores <paramref name="metrics"/> and keeps the reading for the next ones.</summary>
    public MarketCompass Observe(MetricsBundle metrics) => Score(metrics, keep: true);

    /// <summary>Scores <paramref name="metrics"/> against the kept readings without keeping it.</summary>
    public MarketCompass Preview(MetricsBundle metrics) => Score(metrics, keep: false);

    /// <summary>The raw axes of one reading; AOFM is the change of the notional imbalance since <paramref name="previousNotional"/>.</summary>
    internal static double?[] Raw(MetricsBundle metrics, double? previousNotional)
    {
        var book = metrics.Book ?? OrderBookMetrics.None;
        return
        [
            metrics.Flow.VapiFa, metrics.Flow.Dwfd, metrics.Flow.TwLaf,
            metrics.Eots.Vri2, metrics.Eots.ADag, metrics.Eots.Gib,
            book.Lwpai, book.Vabai,
            book.NotionalImbalance is { } now && previousNotional is { } before ? now - before : null,
            book.Lidb, book.Svr, book.Tpdlf,
        ];
    }

    /// <summary>(x − mean) ÷ standard deviation of <paramref name="earlier"/>' non-null values of axis <paramref name="axis"/> (population); 0 when they do not vary.</summary>
    internal static double? ZScore(double? x, IEnumerable<double?[]> earlier, int axis, int minReadings)
    {
        if (x is not { } value)
        {
            return null;
        }

        double sum = 0, squares = 0;
        var n = 0;
        foreach (var reading in earlier)
        {
            if (reading[axis] is { } v)
            {
                sum += v;
                squares += v * v;
                n++;
            }
        }

        if (n < minReadings)
        {
            return null;
        }

        var mean = sum / n;
        var sd = Math.Sqrt(Math.Max(0, (squares / n) - (mean * mean)));
        return sd <= 1e-12 * Math.Max(1, Math.Abs(mean)) ? 0 : (value - mean) / sd;
    }

    private MarketCompass Score(MetricsBundle metrics, bool keep)
    {
        var settings = options.Value.Compass;
        var history = symbols.GetOrAdd(metrics.Symbol, _ => new History());
        lock (history)
        {
            var raw = Raw(metrics, history.LastNotional);
            var axes = new CompassAxis[raw.Length];
            var scaled = new double?[raw.Length];
            for (var a = 0; a < raw.Length; a++)
            {
                var z = ZScore(raw[a], history.Readings, a, settings.MinReadings);
                scaled[a] = z is { } value ? Math.Round(Math.Clamp(value / 3, -1, 1), 4) : null;
                axes[a] = new CompassAxis(MarketCompass.Names[a], raw[a] is { } r ? Math.Round(r, 6) : null, z is { } zz ? Math.Round(zz, 4) : null, scaled[a], history.LastScaled?[a]);
            }

            var compass = new MarketCompass(axes, history.Readings.Count, settings.MinReadings, history.LastAsOf);
            if (keep && metrics.AsOf != history.LastAsOf)
            {
                history.Readings.Enqueue(raw);
                while (history.Readings.Count > settings.Window)
                {
                    history.Readings.Dequeue();
                }

                history.LastNotional = metrics.Book?.NotionalImbalance;
                history.LastScaled = scaled;
                history.LastAsOf = metrics.AsOf;
            }

            return compass;
        }
    }

    private sealed class History
    {
        public Queue<double?[]> Readings { get; } = new();

        public double? LastNotional { get; set; }

        public double?[]? LastScaled { get; set; }

        public DateTimeOffset? LastAsOf { get; set; }
    }
}
