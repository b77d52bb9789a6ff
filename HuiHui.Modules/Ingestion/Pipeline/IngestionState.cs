using HuiHui.Modules.Ingestion.Contracts;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Pipeline;

/// <summary>
/// The ingestion settings in force (seeded from configuration, changed at run time by the control-panel commands)
/// and what happened on the last fetches. Thread-safe; the fetch loop wakes when the settings change.
/// </summary>
internal sealed class IngestionState
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, ProviderStatus> providers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SymbolStatus> symbols = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> symbolProviders;
    private List<string> defaultProviders;
    private List<string> watchList;
    private TimeSpan interval;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IngestionState(IOptions<IngestionOptions> options)
    {
        var settings = options.Value;
        interval = settings.Interval;
        watchList = Normalise(settings.WatchList);
        defaultProviders = [.. settings.Providers];
        symbolProviders = new(settings.SymbolProviders.ToDictionary(p => p.Key.ToUpperInvariant(), p => p.Value.ToList()), StringComparer.OrdinalIgnoreCase);
    }

    public TimeSpan Interval
    {
        get
        {
            lock (gate)
            {
                return interval;
            }
        }
    }

    public IReadOnlyList<string> WatchList
    {
        get
        {
            lock (gate)
            {
                return watchList;
            }
        }
    }

    /// <summary>Completes when a setting changes; take a fresh one after each wake.</summary>
    public Task Changed
    {
        get
        {
            lock (gate)
            {
                return changed.Task;
            }
        }
    }

    public IReadOnlyList<string> ProvidersFor(string symbol)
    {
        lock (gate)
        {
            return symbolProviders.TryGetValue(symbol, out var list) && list.Count > 0 ? list : defaultProviders;
        }
    }

    public IReadOnlyList<string> AllProviderNames()
    {
        lock (gate)
        {
            return defaultProviders.Concat(symbolProviders.Values.SelectMany(p => p)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }
    }

    public void SetInterval(TimeSpan value) => Change(() => interval = value);

    public void SetWatchList(IEnumerable<string> value) => Change(() => watchList = Normalise(value));

    public void SetProviders(string symbol, IReadOnlyList<string> order) => Change(() =>
    {
        if (order.Count == 0)
        {
            symbolProviders.Remove(symbol);
        }
        else
        {
            symbolProviders[symbol.ToUpperInvariant()] = [.. order];
        }
    });

    /// <summary>
    /// Records a provider's outcome; true on its first outcome since start or when its health flipped, so an alert is
    /// raised or resolved (the first success also clears an alert left open by an earlier run).
    /// </summary>
    public bool RecordProvider(string name, DateTimeOffset at, string? error)
    {
        lock (gate)
        {
            var first = !providers.ContainsKey(name);
            var before = providers.GetValueOrDefault(name) ?? new ProviderStatus(name, true, 0, null, null, null);
            var after = error is null
                ? before with { Healthy = true, ConsecutiveFailures = 0, LastSuccess = at }
                : before with { Healthy = false, ConsecutiveFailures = before.ConsecutiveFailures + 1, LastError = error, LastFailure = at };
            providers[name] = after;
            return first || before.Healthy != after.Healthy;
        }
    }

    public void RecordSymbol(string symbol, Func<SymbolStatus, SymbolStatus> update)
    {
        lock (gate)
        {
            var before = symbols.GetValueOrDefault(symbol) ?? new SymbolStatus(symbol, ProvidersFor(symbol), null, null, null, 0, 0, null);
            symbols[symbol] = update(before);
        }
    }

    public (IReadOnlyList<ProviderStatus> Providers, IReadOnlyList<SymbolStatus> Symbols) Snapshot()
    {
        lock (gate)
        {
            var known = AllProviderNames().Select(n => providers.GetValueOrDefault(n) ?? new ProviderStatus(n, true, 0, null, null, null));
            var extra = providers.Values.Where(p => !AllProviderNames().Contains(p.Name, StringComparer.OrdinalIgnoreCase));
            var listed = watchList.Concat(symbols.Keys.Where(s => !watchList.Contains(s, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
                .Select(s => (symbols.GetValueOrDefault(s) ?? new SymbolStatus(s, [], null, null, null, 0, 0, null)) with { Providers = ProvidersFor(s) });
            return (known.Concat(extra).ToList(), listed.ToList());
        }
    }

    private void Change(Action apply)
    {
        TaskCompletionSource wake;
        lock (gate)
        {
            apply();
            wake = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        wake.TrySetResult();
    }

    private static List<string> Normalise(IEnumerable<string> symbols) =>
        symbols.Select(s => s.Trim().ToUpperInvariant()).Where(s => s.Length > 0).Distinct().ToList();
}
