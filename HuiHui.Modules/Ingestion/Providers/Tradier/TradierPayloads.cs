using System.Text.Json.Serialization;

namespace HuiHui.Modules.Ingestion.Providers.Tradier;

// Tradier's JSON (https://documentation.tradier.com/brokerage-api/markets/): only the fields HuiHui reads.
// Chains are read without these types (TradierParser.ParseChain, one pass over the bytes).
// Lists go through OneOrManyConverter: one element arrives as an object, none as null.

internal sealed record TradierQuotesResponse(TradierQuoteList? Quotes);

internal sealed record TradierQuoteList([property: JsonConverter(typeof(OneOrManyConverter<TradierQuote>))] List<TradierQuote>? Quote);

internal sealed record TradierQuote(
    string? Symbol,
    double? Last,
    double? Bid,
    double? Ask,
    double? Open,
    double? High,
    double? Low,
    [property: JsonPropertyName("prevclose")] double? PrevClose,
    long? Volume,
    long? TradeDate);

internal sealed record TradierExpirationsResponse(TradierExpirationList? Expirations);

internal sealed record TradierExpirationList([property: JsonConverter(typeof(OneOrManyConverter<string>))] List<string>? Date);

internal sealed record TradierHistoryResponse(TradierHistoryList? History);

internal sealed record TradierHistoryList([property: JsonConverter(typeof(OneOrManyConverter<TradierDay>))] List<TradierDay>? Day);

internal sealed record TradierDay(string? Date, double? Open, double? High, double? Low, double? Close, long? Volume);

internal sealed record TradierTimesalesResponse(TradierSeries? Series);

internal sealed record TradierSeries([property: JsonConverter(typeof(OneOrManyConverter<TradierTick>))] List<TradierTick>? Data);

internal sealed record TradierTick(string? Time, long? Timestamp, double? Open, double? High, double? Low, double? Close, double? Price, long? Volume);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TradierQuotesResponse))]
[JsonSerializable(typeof(TradierExpirationsResponse))]
[JsonSerializable(typeof(TradierHistoryResponse))]
[JsonSerializable(typeof(TradierTimesalesResponse))]
[JsonSerializable(typeof(TradierQuote))]
[JsonSerializable(typeof(TradierDay))]
[JsonSerializable(typeof(TradierTick))]
[JsonSerializable(typeof(string))]
internal sealed partial class TradierJson : JsonSerializerContext;
