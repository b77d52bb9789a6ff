using HuiHui.Modules.Ingestion.Contracts;

namespace HuiHui.Modules.Ingestion.Providers;

/// <summary>
/// A source of market data. Snapshots come back as the provider sent them, parsed into the market model but not yet
/// validated (records the parser could not read are already counted in <see cref="ChainSnapshot.Dropped"/>);
/// a payload unusable as a whole throws <see cref="Validation.ProviderPayloadException"/>.
/// </summary>
internal interface IMarketDataProvider
{
    /// <summary>The name configuration uses: <c>simulated</c>, <c>tradier</c>, <c>cboe</c>, <c>file</c>.</summary>
    string Name { get; }

    Task<ChainSnapshot> GetSnapshotAsync(string symbol, CancellationToken cancellationToken);

    /// <summary>Daily bars with a start date in [<paramref name="from"/>, <paramref name="to"/>], oldest first.</summary>
    Task<IReadOnlyList<Bar>> GetDailyBarsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken);
}

/// <summary>A source of headlines for a symbol.</summary>
internal interface INewsProvider
{
    string Name { get; }

    Task<IReadOnlyList<NewsItem>> GetNewsAsync(string symbol, DateTimeOffset since, CancellationToken cancellationToken);
}
