using System.Globalization;
using System.Text.Json;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Validation;

namespace HuiHui.Modules.Ingestion.Providers.Cboe;

/// <summary>
/// CBOE's delayed options JSON → a snapshot: the underlying quote and the whole chain in one payload.
/// <c>timestamp</c> is New York time; <c>iv</c> is a decimal; greeks are desk units (theta per day, vega per point).
/// Index symbols come back with a leading underscore (<c>_SPX</c>). Read with <see cref="ChainJsonReader"/> (one pass).
/// </summary>
internal static class CboeParser
{
    public const string Provider = "cboe";

    public static ChainSnapshot Parse(ReadOnlySpan<byte> payload, string symbol)
    {
        var json = new ChainJsonReader(Provider, payload);
        json.Read();
        json.Expect(JsonTokenType.StartObject);
        string? timestamp = null;
        Data? data = null;
        while (json.NextProperty())
        {
            if (json.Is("timestamp"u8))
            {
                json.Field = "timestamp";
                json.Value();
                timestamp = json.Text();
            }
            else if (json.Is("data"u8))
            {
                json.Field = "data";
                json.Value();
                json.At("$.data");
                data = json.Token == JsonTokenType.Null ? null : ReadData(ref json, symbol, EasternTime(timestamp));
            }
            else
            {
                json.SkipValue();
            }

            json.At("$");
        }

        if (data is null)
        {
            throw new ProviderPayloadException(Provider, "data", "missing");
        }

        var asOf = Timestamp(timestamp)
            ?? throw new ProviderPayloadException(Provider, "timestamp",
                $"'{timestamp}' is neither New York time as 'yyyy-MM-dd HH:mm:ss' nor ISO 8601 with an offset (2026-11-24T21:15:00Z)");
        var quoted = data.Symbol?.TrimStart('_') ?? throw new ProviderPayloadException(Provider, "data.symbol", "missing");
        var spot = data.Spot ?? throw new ProviderPayloadException(Provider, "data.current_price", "missing");
        var quote = new UnderlyingQuote(quoted, spot, data.Bid, data.Ask, data.Open, data.High, data.Low, data.PreviousClose, data.Volume ?? 0, asOf);
        var contracts = data.Contracts;
        if (contracts.Count > 0 && contracts[0].UpdatedAt != asOf)
        {
            // "data" came before "timestamp": the contracts were read before their time was known.
            for (var i = 0; i < contracts.Count; i++)
            {
                contracts[i] = contracts[i] with { UpdatedAt = asOf };
            }
        }

        IReadOnlyList<DropCount> dropped = data.Unreadable > 0 ? [new DropCount("unparseable-record", data.Unreadable)] : [];
        return new ChainSnapshot(symbol, asOf, Provider, quote, contracts, [], [], [], dropped);
    }

    private static DateTimeOffset EasternTime(string? timestamp) => Timestamp(timestamp) ?? default;

    /// <summary>
    /// CBOE's <c>timestamp</c>: New York wall-clock time as documented (<c>2026-11-24 16:15:00</c>), or, should the feed
    /// ever send one, an ISO 8601 time with its offset; both become UTC. Anything else is null (the caller names the field).
    /// </summary>
    private static DateTimeOffset? Timestamp(string? timestamp)
    {
        if (DateTime.TryParseExact(timestamp, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return ProviderJson.FromEastern(local);
        }

        var hasOffset = timestamp is { Length: > 19 } && (timestamp.EndsWith('Z') || timestamp[^6] is '+' or '-');
        return hasOffset && DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) ? instant.ToUniversalTime() : null;
    }

    private static Data ReadData(ref ChainJsonReader json, string symbol, DateTimeOffset asOf)
    {
        json.Expect(JsonTokenType.StartObject);
        var data = new Data();
        while (json.NextProperty())
        {
            if (json.Is("options"u8))
            {
                json.Field = "options";
                json.Value();
                json.At("$.data.options");
                if (json.Token != JsonTokenType.Null)
                {
                    json.Expect(JsonTokenType.StartArray);
                    data.Contracts.Capacity = Math.Max(data.Contracts.Capacity, json.RemainingBytes / 350); // ~400 bytes per option
                    ReadOptions(ref json, symbol, data, asOf);
                }
            }
            else if (json.Is("symbol"u8))
            {
                json.Field = "symbol";
                json.Value();
                data.Symbol = json.Text();
            }
            else
            {
                ref var field = ref QuoteField(ref json, data, out var name);
                if (name is null)
                {
                    json.SkipValue();
                }
                else
                {
                    json.Field = name;
                    json.Value();
                    field = json.Number();
                }
            }

            json.At("$.data");
        }

        return data;
    }

    private static ref double? QuoteField(ref ChainJsonReader json, Data data, out string? name)
    {
        if (json.Is("current_price"u8)) { name = "current_price"; return ref data.Spot; }
        if (json.Is("bid"u8)) { name = "bid"; return ref data.Bid; }
        if (json.Is("ask"u8)) { name = "ask"; return ref data.Ask; }
        if (json.Is("open"u8)) { name = "open"; return ref data.Open; }
        if (json.Is("high"u8)) { name = "high"; return ref data.High; }
        if (json.Is("low"u8)) { name = "low"; return ref data.Low; }
        if (json.Is("prev_day_close"u8)) { name = "prev_day_close"; return ref data.PreviousClose; }
        if (json.Is("volume"u8)) { name = "volume"; return ref data.VolumeNumber; }
        name = null;
        return ref data.Ignored;
    }

    private static void ReadOptions(ref ChainJsonReader json, string symbol, Data data, DateTimeOffset asOf)
    {
        var index = 0;
        while (true)
        {
            json.Index = index;
            json.Field = null;
            json.Read();
            if (json.Token == JsonTokenType.EndArray)
            {
                return;
            }

            if (json.Token != JsonTokenType.StartObject)
            {
                if (json.Token is JsonTokenType.StartArray)
                {
                    throw json.Fail("expected an option object, found an array");
                }

                data.Unreadable++;
                index++;
                continue;
            }

            string? occText = null;
            double? bid = null, ask = null, iv = null, delta = null, gamma = null, vega = null, theta = null, rho = null, last = null;
            long? openInterest = null, volume = null, bidSize = null, askSize = null;
            var tick = PriceTick.Unknown;
            while (json.NextProperty())
            {
                // Dispatch on length, then compare: 24 properties per option, 5,000 options per chain.
                var name = json.Name;
                var field = name.Length switch
                {
                    2 => name.SequenceEqual("iv"u8) ? Field.Iv : Field.None,
                    3 => name.SequenceEqual("bid"u8) ? Field.Bid : name.SequenceEqual("ask"u8) ? Field.Ask : name.SequenceEqual("rho"u8) ? Field.Rho : Field.None,
                    5 => name.SequenceEqual("delta"u8) ? Field.Delta : name.SequenceEqual("gamma"u8) ? Field.Gamma : name.SequenceEqual("theta"u8) ? Field.Theta : Field.None,
                    4 => name.SequenceEqual("vega"u8) ? Field.Vega : name.SequenceEqual("tick"u8) ? Field.Tick : Field.None,
                    6 => name.SequenceEqual("option"u8) ? Field.Option : name.SequenceEqual("volume"u8) ? Field.Volume : Field.None,
                    8 => name.SequenceEqual("bid_size"u8) ? Field.BidSize : name.SequenceEqual("ask_size"u8) ? Field.AskSize : Field.None,
                    13 => name.SequenceEqual("open_interest"u8) ? Field.OpenInterest : Field.None,
                    16 => name.SequenceEqual("last_trade_price"u8) ? Field.LastTradePrice : Field.None,
                    _ => Field.None,
                };
                if (field == Field.None)
                {
                    json.SkipValue();
                    continue;
                }

                json.Field = FieldNames[(int)field];
                json.Value();
                switch (field)
                {
                    case Field.Option: occText = json.Text(); break;
                    case Field.Bid: bid = json.Number(); break;
                    case Field.Ask: ask = json.Number(); break;
                    case Field.Iv: iv = json.Number(); break;
                    case Field.OpenInterest: openInterest = json.Count(); break;
                    case Field.Volume: volume = json.Count(); break;
                    case Field.Delta: delta = json.Number(); break;
                    case Field.Gamma: gamma = json.Number(); break;
                    case Field.Vega: vega = json.Number(); break;
                    case Field.Theta: theta = json.Number(); break;
                    case Field.Rho: rho = json.Number(); break;
                    case Field.LastTradePrice: last = json.Number(); break;
                    case Field.BidSize: bidSize = json.Count(); break;
                    case Field.AskSize: askSize = json.Count(); break;
                    case Field.Tick: tick = json.TextIs("up"u8) ? PriceTick.Up : json.TextIs("down"u8) ? PriceTick.Down : json.TextIs("no_change"u8) || json.TextIs("unchanged"u8) ? PriceTick.Unchanged : PriceTick.Unknown; break;
                }

                json.Field = null;
            }

            if (!OccSymbol.TryParse(occText, out var occ, out _))
            {
                data.Unreadable++;
            }
            else
            {
                data.Contracts.Add(new OptionContract(occText!, symbol, occ.Expiry, occ.Strike, occ.Right, bid, ask, last, volume ?? 0, openInterest ?? 0,
                    GreekUnits.ImpliedVol(iv), GreekUnits.FromDeskUnits(delta, gamma, theta, vega, rho), asOf, tick, bidSize, askSize));
            }

            index++;
        }
    }

    private enum Field
    {
        None, Option, Bid, Ask, Iv, OpenInterest, Volume, Delta, Gamma, Vega, Theta, Rho, LastTradePrice, Tick, BidSize, AskSize,
    }

    private static readonly string[] FieldNames = ["", "option", "bid", "ask", "iv", "open_interest", "volume", "delta", "gamma", "vega", "theta", "rho", "last_trade_price", "tick", "bid_size", "ask_size"];

    private sealed class Data
    {
        public string? Symbol;
        public double? Spot;
        public double? Bid;
        public double? Ask;
        public double? Open;
        public double? High;
        public double? Low;
        public double? PreviousClose;
        public double? VolumeNumber;
        public double? Ignored;
        public int Unreadable;
        public readonly List<OptionContract> Contracts = [];

        public long? Volume => VolumeNumber is { } v ? (long)v : null;
    }
}
