using System.Globalization;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Validation;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Modules.Ingestion.Providers.Tradier;

/// <summary>
/// Tradier payloads → the market model. Records that cannot be read are dropped and counted
/// (<c>unparseable-record</c>); JSON that is malformed as a whole throws <see cref="ProviderPayloadException"/>.
/// Greeks are converted to plain partials (<see cref="GreekUnits"/>); Tradier times are epoch milliseconds (UTC).
/// </summary>
internal static class TradierParser
{
    public const string Provider = "tradier";

    public static (List<OptionContract> Contracts, int Unreadable) ParseChain(ReadOnlySpan<byte> payload, string symbol, DateTimeOffset asOf)
    {
        var response = ProviderJson.Read(Provider, payload, TradierJson.Default.TradierChainResponse);
        var options = response.Options?.Option ?? [];
        var contracts = new List<OptionContract>(options.Count);
        var unreadable = 0;
        foreach (var option in options)
        {
            if (option is null || !OccSymbol.TryParse(option.Symbol, out var occ, out _))
            {
                unreadable++;
                continue;
            }

            var right = option.OptionType switch
            {
                "call" => OptionRight.Call,
                "put" => OptionRight.Put,
                _ => occ.Right,
            };
            var expiry = DateOnly.TryParseExact(option.ExpirationDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : occ.Expiry;
            var greeks = option.Greeks;
            var updated = Math.Max(option.BidDate ?? 0, option.AskDate ?? 0);
            contracts.Add(new OptionContract(
                option.Symbol!,
                option.Underlying ?? symbol,
                expiry,
                option.Strike ?? occ.Strike,
                right,
                option.Bid,
                option.Ask,
                option.Last,
                option.Volume ?? 0,
                option.OpenInterest ?? 0,
                GreekUnits.ImpliedVol(greeks?.MidIv) ?? GreekUnits.ImpliedVol(greeks?.SmvVol),
                greeks is null ? null : GreekUnits.FromDeskUnits(greeks.Delta, greeks.Gamma, greeks.Theta, greeks.Vega, greeks.Rho),
                updated > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(updated) : asOf));
        }

        return (contracts, unreadable);
    }

    public static List<UnderlyingQuote> ParseQuotes(ReadOnlySpan<byte> payload, DateTimeOffset asOf)
    {
        var response = ProviderJson.Read(Provider, payload, TradierJson.Default.TradierQuotesResponse);
        var quotes = new List<UnderlyingQuote>();
        foreach (var quote in response.Quotes?.Quote ?? [])
        {
            if (quote?.Symbol is null || quote.Last is null)
            {
                continue;
            }

            quotes.Add(new UnderlyingQuote(quote.Symbol, quote.Last.Value, quote.Bid, quote.Ask, quote.Open, quote.High, quote.Low, quote.PrevClose,
                quote.Volume ?? 0, quote.TradeDate is > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(quote.TradeDate.Value) : asOf));
        }

        return quotes;
    }

    public static List<DateOnly> ParseExpirations(ReadOnlySpan<byte> payload)
    {
        var response = ProviderJson.Read(Provider, payload, TradierJson.Default.TradierExpirationsResponse);
        var dates = new List<DateOnly>();
        foreach (var text in response.Expirations?.Date ?? [])
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new ProviderPayloadException(Provider, "expirations.date", $"'{text}' is not a yyyy-MM-dd date");
            }

            dates.Add(date);
        }

        dates.Sort();
        return dates;
    }

    /// <summary>Daily bars; a day with a missing price is skipped (validation would drop it anyway).</summary>
    public static List<Bar> ParseHistory(ReadOnlySpan<byte> payload, string symbol)
    {
        var response = ProviderJson.Read(Provider, payload, TradierJson.Default.TradierHistoryResponse);
        var bars = new List<Bar>();
        foreach (var day in response.History?.Day ?? [])
        {
            if (day is { Open: { } open, High: { } high, Low: { } low, Close: { } close }
                && DateOnly.TryParseExact(day.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                bars.Add(new Bar(symbol, Bar.Daily, new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), open, high, low, close, day.Volume ?? 0));
            }
        }

        return bars;
    }

    /// <summary>
    /// Minute bars from time and sales (<c>interval=1min</c>). The bar's start is <c>time</c> (New York local time);
    /// <c>timestamp</c> (epoch seconds) only when <c>time</c> is absent.
    /// </summary>
    public static List<Bar> ParseTimesales(ReadOnlySpan<byte> payload, string symbol)
    {
        var response = ProviderJson.Read(Provider, payload, TradierJson.Default.TradierTimesalesResponse);
        var bars = new List<Bar>();
        foreach (var tick in response.Series?.Data ?? [])
        {
            if (tick is not { Close: { } close })
            {
                continue;
            }

            DateTimeOffset start;
            if (DateTime.TryParseExact(tick.Time, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                start = ProviderJson.FromEastern(local);
            }
            else if (tick.Timestamp is { } seconds)
            {
                start = DateTimeOffset.FromUnixTimeSeconds(seconds);
            }
            else
            {
                continue;
            }

            {
                bars.Add(new Bar(symbol, Bar.Minute, start, tick.Open ?? close, tick.High ?? close, tick.Low ?? close, close, tick.Volume ?? 0));
            }
        }

        return bars;
    }
}
