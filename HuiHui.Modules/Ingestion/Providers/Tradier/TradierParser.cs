using System.Globalization;
using System.Text.Json;
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

    /// <summary>
    /// A chain (<c>options.option</c>: an array, one object, or null). Read with <see cref="ChainJsonReader"/>: chains are
    /// the one large Tradier payload.
    /// </summary>
    public static (List<OptionContract> Contracts, int Unreadable) ParseChain(ReadOnlySpan<byte> payload, string symbol, DateTimeOffset asOf)
    {
        var json = new ChainJsonReader(Provider, payload);
        json.Read();
        json.Expect(JsonTokenType.StartObject);
        var contracts = new List<OptionContract>();
        var unreadable = 0;
        while (json.NextProperty())
        {
            if (!json.Is("options"u8))
            {
                json.SkipValue();
                continue;
            }

            json.Field = "options";
            json.Value();
            if (json.Token == JsonTokenType.Null || json.TextIs("null"u8))
            {
                json.Field = null;
                continue;
            }

            json.Expect(JsonTokenType.StartObject);
            json.At("$.options");
            while (json.NextProperty())
            {
                if (!json.Is("option"u8))
                {
                    json.SkipValue();
                    continue;
                }

                json.Field = "option";
                json.Value();
                json.At("$.options.option");
                if (json.Token == JsonTokenType.StartArray)
                {
                    for (var index = 0; ; index++)
                    {
                        json.Index = index;
                        json.Field = null;
                        json.Read();
                        if (json.Token == JsonTokenType.EndArray)
                        {
                            break;
                        }

                        ReadOption(ref json, symbol, asOf, contracts, ref unreadable);
                    }
                }
                else if (json.Token == JsonTokenType.StartObject)
                {
                    ReadOption(ref json, symbol, asOf, contracts, ref unreadable);
                }
                else if (json.Token != JsonTokenType.Null && !json.TextIs("null"u8))
                {
                    throw json.Fail("expected an option object or an array of them");
                }

                json.At("$.options");
            }

            json.At("$");
        }

        return (contracts, unreadable);
    }

    private static void ReadOption(ref ChainJsonReader json, string symbol, DateTimeOffset asOf, List<OptionContract> contracts, ref int unreadable)
    {
        if (json.Token != JsonTokenType.StartObject)
        {
            if (json.Token == JsonTokenType.StartArray)
            {
                throw json.Fail("expected an option object, found an array");
            }

            unreadable++;
            return;
        }

        string? occText = null, underlying = null;
        double? strike = null, bid = null, ask = null, last = null;
        long? volume = null, openInterest = null, bidDate = null, askDate = null, bidSize = null, askSize = null;
        var right = (OptionRight?)null;
        double? delta = null, gamma = null, theta = null, vega = null, rho = null, midIv = null, smvVol = null;
        var hasGreeks = false;
        while (json.NextProperty())
        {
            if (json.Is("symbol"u8)) { json.Field = "symbol"; json.Value(); occText = json.Text(); }
            else if (json.Is("underlying"u8)) { json.Field = "underlying"; json.Value(); underlying = json.Text(); }
            else if (json.Is("strike"u8)) { json.Field = "strike"; json.Value(); strike = json.Number(); }
            else if (json.Is("option_type"u8)) { json.Field = "option_type"; json.Value(); right = json.TextIs("call"u8) ? OptionRight.Call : json.TextIs("put"u8) ? OptionRight.Put : null; }
            else if (json.Is("bid"u8)) { json.Field = "bid"; json.Value(); bid = json.Number(); }
            else if (json.Is("ask"u8)) { json.Field = "ask"; json.Value(); ask = json.Number(); }
            else if (json.Is("last"u8)) { json.Field = "last"; json.Value(); last = json.Number(); }
            else if (json.Is("volume"u8)) { json.Field = "volume"; json.Value(); volume = json.Count(); }
            else if (json.Is("open_interest"u8)) { json.Field = "open_interest"; json.Value(); openInterest = json.Count(); }
            else if (json.Is("bidsize"u8)) { json.Field = "bidsize"; json.Value(); bidSize = json.Count(); }
            else if (json.Is("asksize"u8)) { json.Field = "asksize"; json.Value(); askSize = json.Count(); }
            else if (json.Is("bid_date"u8)) { json.Field = "bid_date"; json.Value(); bidDate = json.Count(); }
            else if (json.Is("ask_date"u8)) { json.Field = "ask_date"; json.Value(); askDate = json.Count(); }
            else if (json.Is("greeks"u8))
            {
                json.Field = "greeks";
                json.Value();
                if (json.Token == JsonTokenType.StartObject)
                {
                    hasGreeks = true;
                    while (json.NextProperty())
                    {
                        if (json.Is("delta"u8)) { json.Field = "greeks.delta"; json.Value(); delta = json.Number(); }
                        else if (json.Is("gamma"u8)) { json.Field = "greeks.gamma"; json.Value(); gamma = json.Number(); }
                        else if (json.Is("theta"u8)) { json.Field = "greeks.theta"; json.Value(); theta = json.Number(); }
                        else if (json.Is("vega"u8)) { json.Field = "greeks.vega"; json.Value(); vega = json.Number(); }
                        else if (json.Is("rho"u8)) { json.Field = "greeks.rho"; json.Value(); rho = json.Number(); }
                        else if (json.Is("mid_iv"u8)) { json.Field = "greeks.mid_iv"; json.Value(); midIv = json.Number(); }
                        else if (json.Is("smv_vol"u8)) { json.Field = "greeks.smv_vol"; json.Value(); smvVol = json.Number(); }
                        else { json.SkipValue(); }

                        json.Field = "greeks";
                    }
                }
                else if (json.Token != JsonTokenType.Null)
                {
                    throw json.Fail("expected the greeks object or null");
                }
            }
            else
            {
                json.SkipValue();
            }

            json.Field = null;
        }

        if (!OccSymbol.TryParse(occText, out var occ, out _))
        {
            unreadable++;
            return;
        }

        var updated = Math.Max(bidDate ?? 0, askDate ?? 0);
        contracts.Add(new OptionContract(
            occText!,
            underlying ?? symbol,
            occ.Expiry, // authoritative; expiration_date repeats it
            strike ?? occ.Strike,
            right ?? occ.Right,
            bid,
            ask,
            last,
            volume ?? 0,
            openInterest ?? 0,
            GreekUnits.ImpliedVol(midIv) ?? GreekUnits.ImpliedVol(smvVol),
            hasGreeks ? GreekUnits.FromDeskUnits(delta, gamma, theta, vega, rho) : null,
            updated > 0 && updated < 253402300799999 ? DateTimeOffset.FromUnixTimeMilliseconds(updated) : asOf,
            BidSize: bidSize,
            AskSize: askSize));
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
