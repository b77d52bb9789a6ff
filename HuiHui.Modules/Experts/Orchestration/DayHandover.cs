using System.Collections.Concurrent;

namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>
/// A symbol's history keyed by its snapshot's day (the daily bars, the past ATM IV readings), held for the live analysis so
/// that only a symbol's first analysis waits for it: when the day turns, or the held value is older than its time to live,
/// the analyses go on with the held value while one load of the new one runs beside them. Without it every symbol's first
/// analysis of a new day waited inside its metrics stage on two PostgreSQL queries — the whole watch list in the same
/// second, and again when the day's entries expired together (docs/performance.md, "Seventh pass").
/// </summary>
/// <remarks>
/// The previous day's value lacks only that day's own entry (its bar, its last reading) until the load returns, within
/// milliseconds; a snapshot of an earlier day than the one held (older data analysed again) waits for its own value and
/// leaves the held one alone. A load that fails throws to its analysis when it waits for it; beside the analyses it goes to
/// <paramref name="failed"/>, the held value stays, and the next analysis tries again.
/// </remarks>
internal sealed class DayHandover<T>(TimeSpan timeToLive, TimeProvider time, Action<string, Exception> failed)
    where T : class
{
    private readonly ConcurrentDictionary<string, Held> held = new(StringComparer.Ordinal);

    /// <summary>The value for <paramref name="symbol"/> on <paramref name="day"/>: held, handed over from the previous load, or loaded now.</summary>
    public async ValueTask<T> GetAsync(string symbol, DateOnly day, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
    {
        if (!held.TryGetValue(symbol, out var current))
        {
            var value = await load(cancellationToken);
            Hold(symbol, day, value);
            return value;
        }

        if (current.Day > day)
        {
            return await load(cancellationToken);
        }

        if (current.Day < day || time.GetUtcNow() - current.LoadedAt >= timeToLive)
        {
            Refresh(symbol, day, current, load);
        }

        return current.Value;
    }

    /// <summary>Starts one load of <paramref name="day"/>'s value beside the analyses (none when one already runs for <paramref name="current"/>).</summary>
    private void Refresh(string symbol, DateOnly day, Held current, Func<CancellationToken, Task<T>> load)
    {
        if (Interlocked.CompareExchange(ref current.Refreshing, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                Hold(symbol, day, await load(CancellationToken.None));
            }
            catch (Exception error)
            {
                failed(symbol, error);
            }
            finally
            {
                Volatile.Write(ref current.Refreshing, 0);
            }
        });
    }

    private void Hold(string symbol, DateOnly day, T value)
    {
        var loaded = new Held(day, value, time.GetUtcNow());
        held.AddOrUpdate(symbol, loaded, (_, existing) => existing.Day > day ? existing : loaded);
    }

    private sealed class Held(DateOnly day, T value, DateTimeOffset loadedAt)
    {
        public int Refreshing;

        public DateOnly Day { get; } = day;

        public T Value { get; } = value;

        public DateTimeOffset LoadedAt { get; } = loadedAt;
    }
}
