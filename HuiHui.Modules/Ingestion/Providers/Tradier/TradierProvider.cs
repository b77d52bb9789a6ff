using System.Globalization;
using System.Net.Http.Headers;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Validation;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Providers.Tradier;

/// <summary>
/// Tradier market data over REST: quote, expirations, a chain per expiry (with greeks), 1-minute time and sales, daily history.
/// Requests carry the bearer token and wait for the rate-limit window when Tradier says it is used up. When the market stream
/// is open (<see cref="TradierStream"/>) the snapshot carries its trades as prints.
/// </summary>
internal sealed class TradierProvider(HttpClient http, IOptions<TradierOptions> options, TradierRateLimit rateLimit, TradierStreamBook stream, TimeProvider time) : IMarketDataProvider
{
    public string Name => TradierParser.Provider;

    public async Task<ChainSnapshot> GetSnapshotAsync(string symbol, CancellationToken cancellationToken)
    {
        symbol = symbol.ToUpperInvariant(); // Tradier's symbols are upper case
        var settings = options.Value;
        var asOf = time.GetUtcNow();
        var quotes = TradierParser.ParseQuotes(await GetAsync($"v1/markets/quotes?symbols={Uri.EscapeDataString(symbol)}", cancellationToken), asOf);
        var quote = quotes.Find(q => string.Equals(q.Symbol, symbol, StringComparison.OrdinalIgnoreCase))
            ?? throw new ProviderPayloadException(Name, "quotes.quote", $"no quote for {symbol}");

        var today = DateOnly.FromDateTime(asOf.UtcDateTime);
        var expirations = TradierParser.ParseExpirations(await GetAsync($"v1/markets/options/expirations?symbol={Uri.EscapeDataString(symbol)}", cancellationToken))
            .Where(d => d >= today && d.DayNumber - today.DayNumber <= settings.MaxDaysToExpiry)
            .Take(settings.MaxExpirations);

        var contracts = new List<OptionContract>();
        var unreadable = 0;
        foreach (var expiry in expirations)
        {
            var payload = await GetAsync($"v1/markets/options/chains?symbol={Uri.EscapeDataString(symbol)}&expiration={expiry:yyyy-MM-dd}&greeks=true", cancellationToken);
            var (chain, bad) = TradierParser.ParseChain(payload, symbol, asOf);
            contracts.AddRange(chain);
            unreadable += bad;
        }

        IReadOnlyList<Bar> bars = [];
        if (settings.RecentMinutes > 0)
        {
            var start = asOf.AddMinutes(-settings.RecentMinutes);
            var eastern = ProviderJson.ToEastern(start);
            bars = TradierParser.ParseTimesales(await GetAsync(
                string.Create(CultureInfo.InvariantCulture, $"v1/markets/timesales?symbol={Uri.EscapeDataString(symbol)}&interval=1min&start={eastern:yyyy-MM-dd HH:mm}&session_filter=open"),
                cancellationToken), symbol);
        }

        IReadOnlyList<DropCount> dropped = unreadable > 0 ? [new DropCount("unparseable-record", unreadable)] : [];
        // The market stream's trades of the last 30 minutes, when it is open: real prints for the streamed contracts.
        // They cover the subscribed contracts only: the flow tape derives the others from their volume changes.
        var prints = stream.PrintsFor(symbol, asOf);
        return new ChainSnapshot(symbol.ToUpperInvariant(), asOf, Name, quote with { Symbol = symbol.ToUpperInvariant() }, contracts, prints, bars, [], dropped,
            prints.Count > 0 ? new SnapshotFlow(FlowOrigins.Prints, 0, PartialPrints: true) : null);
    }

    public async Task<IReadOnlyList<Bar>> GetDailyBarsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        symbol = symbol.ToUpperInvariant();
        var payload = await GetAsync($"v1/markets/history?symbol={Uri.EscapeDataString(symbol)}&interval=daily&start={from:yyyy-MM-dd}&end={to:yyyy-MM-dd}", cancellationToken);
        return TradierParser.ParseHistory(payload, symbol.ToUpperInvariant()).Where(b => DateOnly.FromDateTime(b.Start.UtcDateTime) is var d && d >= from && d <= to).ToList();
    }

    private async Task<byte[]> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var token = string.IsNullOrWhiteSpace(settings.Token) ? Environment.GetEnvironmentVariable("TRADIER_TOKEN") : settings.Token;
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ProviderUnavailableException(Name, "no API token: set HuiHui:Ingestion:Tradier:Token or TRADIER_TOKEN");
        }

        await rateLimit.WaitAsync(settings.MaxRateLimitWait, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.BaseUrl, pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await ProviderHttp.GetBytesAsync(http, Name, request, rateLimit.Observe, cancellationToken);
    }
}
