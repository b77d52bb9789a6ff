using HuiHui.Modules.Ingestion.Contracts;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Providers.Cboe;

/// <summary>CBOE delayed quotes: one request gives the quote and the whole chain (15-minute delayed). No history.</summary>
internal sealed class CboeProvider(HttpClient http, IOptions<CboeOptions> options) : IMarketDataProvider
{
    public string Name => CboeParser.Provider;

    public async Task<ChainSnapshot> GetSnapshotAsync(string symbol, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var upper = symbol.ToUpperInvariant();
        var indexes = settings.Indexes.Count > 0 ? settings.Indexes : [.. CboeOptions.DefaultIndexes];
        var file = indexes.Contains(upper, StringComparer.OrdinalIgnoreCase) ? $"_{upper}.json" : $"{upper}.json";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.BaseUrl, file));
        var payload = await ProviderHttp.GetBytesAsync(http, Name, request, null, cancellationToken);
        return CboeParser.Parse(payload, upper);
    }

    public Task<IReadOnlyList<Bar>> GetDailyBarsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        throw new ProviderUnavailableException(Name, "CBOE delayed quotes have no history; configure another provider for backfill");
}
