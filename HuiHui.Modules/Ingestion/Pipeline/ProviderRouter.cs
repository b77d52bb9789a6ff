using System.Collections.Concurrent;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers;
using HuiHui.Modules.Ingestion.Providers.Files;
using HuiHui.Modules.Ingestion.Validation;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Pipeline;

/// <summary>
/// Picks the provider for a symbol: the requested source, else the configured order, falling back to the next one when
/// a provider fails or sends nothing usable. A provider going down raises <c>ingestion/provider-down:NAME</c> through
/// Monitoring (a name too long for a code, such as a file source's path, shortened by <see cref="AlertCodes.Named"/>);
/// its next success resolves it.
/// </summary>
internal sealed partial class ProviderRouter(
    IngestionState state,
    IngestionMetrics metrics,
    IOptions<IngestionOptions> options,
    IServiceProvider services,
    Recording.PayloadRecorder recorder,
    IngestionAlerts alerts,
    TimeProvider time,
    ILogger<ProviderRouter> logger)
{
    public const string AlertSource = IngestionAlerts.Source;
    public const string FilePrefix = "file:";

    /// <summary>Resolved per use: the HTTP providers are typed clients, which must not be held for the process's life.</summary>
    private Dictionary<string, IMarketDataProvider> byName => services.GetServices<IMarketDataProvider>().ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, FileReplayProvider> files = new(StringComparer.Ordinal);

    public IReadOnlyList<string> KnownNames => [.. byName.Keys, FileReplayProvider.ProviderName, FilePrefix + "PATH"];

    public bool IsKnown(string name) =>
        byName.ContainsKey(name) || string.Equals(name, FileReplayProvider.ProviderName, StringComparison.OrdinalIgnoreCase)
        || name.StartsWith(FilePrefix, StringComparison.OrdinalIgnoreCase);

    public IMarketDataProvider Resolve(string name)
    {
        if (name.StartsWith(FilePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = Path.GetFullPath(name[FilePrefix.Length..]);
            return files.GetOrAdd(path, p => new FileReplayProvider(p));
        }

        if (string.Equals(name, FileReplayProvider.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            var path = options.Value.ReplayPath ?? throw new ProviderUnavailableException(name, "no replay folder: set HuiHui:Ingestion:ReplayPath or use file:PATH");
            return Resolve(FilePrefix + path);
        }

        return byName.TryGetValue(name, out var provider)
            ? provider
            : throw new ProviderUnavailableException(name, $"unknown provider; known: {string.Join(", ", byName.Keys.Append("file:PATH"))}");
    }

    /// <summary>The first validated snapshot the providers give, and the failures met on the way; null when all failed.</summary>
    public async Task<(ChainSnapshot? Snapshot, IReadOnlyList<string> Errors)> FetchAsync(string symbol, string? source, CancellationToken cancellationToken)
    {
        var order = source is null ? state.ProvidersFor(symbol) : [source];
        var errors = new List<string>();
        foreach (var name in order)
        {
            var recording = recorder.Begin(name, symbol);
            try
            {
                var provider = Resolve(name);
                var snapshot = SnapshotValidator.Validate(await provider.GetSnapshotAsync(symbol, cancellationToken));
                await recorder.SaveAsync(recording, snapshot.AsOf, cancellationToken);
                await RecordAsync(name, null, cancellationToken);
                return (snapshot, errors);
            }
            catch (Exception error) when (error is ProviderUnavailableException or ProviderPayloadException)
            {
                await recorder.SaveAsync(recording, null, cancellationToken); // a payload that failed is worth keeping most of all
                errors.Add(error.Message);
                metrics.ProviderFailed(name);
                LogProviderFailed(logger, name, symbol, error.Message);
                await RecordAsync(name, error.Message, cancellationToken);
            }
        }

        return (null, errors);
    }

    /// <summary>Daily bars (the valid ones) from the first provider that has them, and that provider's name.</summary>
    public async Task<(IReadOnlyList<Bar>? Bars, string? Source, IReadOnlyList<string> Errors)> FetchDailyBarsAsync(string symbol, DateOnly from, DateOnly to, string? source, CancellationToken cancellationToken)
    {
        var order = source is null ? state.ProvidersFor(symbol) : [source];
        var errors = new List<string>();
        foreach (var name in order)
        {
            try
            {
                var provider = Resolve(name);
                var bars = await provider.GetDailyBarsAsync(symbol, from, to, cancellationToken);
                return (bars.Where(SnapshotValidator.IsValid).ToList(), provider.Name, errors);
            }
            catch (Exception error) when (error is ProviderUnavailableException or ProviderPayloadException)
            {
                errors.Add(error.Message);
            }
        }

        return (null, null, errors);
    }

    private async Task RecordAsync(string provider, string? error, CancellationToken cancellationToken)
    {
        if (!state.RecordProvider(provider, time.GetUtcNow(), error))
        {
            return;
        }

        await alerts.SetAsync(AlertCodes.Named("provider-down", provider), error, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} failed for {Symbol}: {Error}")]
    private static partial void LogProviderFailed(ILogger logger, string provider, string symbol, string error);
}
