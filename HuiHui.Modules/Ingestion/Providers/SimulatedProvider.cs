using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Simulation;

namespace HuiHui.Modules.Ingestion.Providers;

/// <summary>The built-in simulated market as a provider: the default, so HuiHui runs offline.</summary>
internal sealed class SimulatedProvider(SimulatedMarket market) : IMarketDataProvider, INewsProvider
{
    public const string ProviderName = "simulated";

    public string Name => ProviderName;

    public Task<ChainSnapshot> GetSnapshotAsync(string symbol, CancellationToken cancellationToken) =>
        Task.FromResult(market.Snapshot(symbol));

    public Task<IReadOnlyList<Bar>> GetDailyBarsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        Task.FromResult(market.DailyBars(symbol, from, to));

    public Task<IReadOnlyList<NewsItem>> GetNewsAsync(string symbol, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NewsItem>>(market.Snapshot(symbol).News.Where(n => n.PublishedAt >= since).ToList());
}
