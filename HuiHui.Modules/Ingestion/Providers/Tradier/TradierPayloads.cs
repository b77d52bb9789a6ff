using System.Text.Json.Serialization;

namespace HuiHui.Modules.Ingestion.Providers.Tradier;

// Tradier's JSON (https://documentation.tradier.com/brokerage-api/markets/): only the fields HuiHui reads.
// Lists go through OneOrManyConverter: one element arrives as an object, none as null.

internal sealed record TradierChainResponse(TradierOptionList? Options);

internal sealed record TradierOptionList([property: JsonConverter(typeof(OneOrManyConverter<TradierOption>))] List<TradierOption>? Option);

internal sealed record TradierOption(
    string? Symbol,
    string? Underlying,
    double? Strike,
    string? OptionType,
    string? ExpirationDate,
    double? Bid,
    double? Ask,
    double? Last,
    long? Volume,
    long? OpenInterest,
    long? BidDate,
    long? AskDate,
    TradierGreeks? Greeks);

internal sealed record TradierGreeks(double? Delta, double? Gamma, double? Theta, double? Vega, double? Rho, double? MidIv, double? SmvVol);

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
[JsonSerializable(typeof(TradierChainResponse))]
[JsonSerializable(typeof(TradierQuotesResponse))]
[JsonSerializable(typeof(TradierExpirationsResponse))]
[JsonSerializable(typeof(TradierHistoryResponse))]
[JsonSerializable(typeof(TradierTimesalesResponse))]
[JsonSerializable(typeof(TradierOption))]
[JsonSerializable(typeof(TradierQuote))]
[JsonSerializable(typeof(TradierDay))]
[JsonSerializable(typeof(TradierTick))]
[JsonSerializable(typeof(string))]
internal sealed partial class TradierJson : JsonSerializerContext;
