using System.Text.Json.Serialization;

namespace HuiHui.Modules.Ingestion.Providers.Cboe;

// CBOE delayed quotes, options JSON for one symbol (cdn.cboe.com/api/global/delayed_quotes/options/SYMBOL.json).

internal sealed record CboeResponse(string? Timestamp, CboeData? Data);

internal sealed record CboeData(
    string? Symbol,
    double? CurrentPrice,
    double? Bid,
    double? Ask,
    double? Open,
    double? High,
    double? Low,
    double? PrevDayClose,
    long? Volume,
    List<CboeOption?>? Options);

internal sealed record CboeOption(
    string? Option,
    double? Bid,
    double? Ask,
    double? Iv,
    long? OpenInterest,
    long? Volume,
    double? Delta,
    double? Gamma,
    double? Vega,
    double? Theta,
    double? Rho,
    double? LastTradePrice);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CboeResponse))]
internal sealed partial class CboeJson : JsonSerializerContext;
