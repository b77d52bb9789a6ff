using System.Globalization;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Validation;

namespace HuiHui.Modules.Ingestion.Providers.Cboe;

/// <summary>
/// CBOE's delayed options JSON → a snapshot: the underlying quote and the whole chain in one payload.
/// <c>timestamp</c> is New York time; <c>iv</c> is a decimal; greeks are desk units (theta per day, vega per point).
/// Index symbols come back with a leading underscore (<c>_SPX</c>).
/// </summary>
internal static class CboeParser
{
    public const string Provider = "cboe";

    public static ChainSnapshot Parse(ReadOnlySpan<byte> payload, string symbol)
    {
        var response = ProviderJson.Read(Provider, payload, CboeJson.Default.CboeResponse);
        var data = response.Data ?? throw new ProviderPayloadException(Provider, "data", "missing");
        if (!DateTime.TryParseExact(response.Timestamp, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw new ProviderPayloadException(Provider, "timestamp", $"'{response.Timestamp}' is not 'yyyy-MM-dd HH:mm:ss'");
        }

        var asOf = ProviderJson.FromEastern(local);
        var quoted = data.Symbol?.TrimStart('_') ?? throw new ProviderPayloadException(Provider, "data.symbol", "missing");
        var spot = data.CurrentPrice ?? throw new ProviderPayloadException(Provider, "data.current_price", "missing");
        var quote = new UnderlyingQuote(quoted, spot, data.Bid, data.Ask, data.Open, data.High, data.Low, data.PrevDayClose, data.Volume ?? 0, asOf);

        var options = data.Options ?? [];
        var contracts = new List<OptionContract>(options.Count);
        var unreadable = 0;
        foreach (var option in options)
        {
            if (option is null || !OccSymbol.TryParse(option.Option, out var occ, out _))
            {
                unreadable++;
                continue;
            }

            contracts.Add(new OptionContract(option.Option!, symbol, occ.Expiry, occ.Strike, occ.Right, option.Bid, option.Ask, option.LastTradePrice,
                option.Volume ?? 0, option.OpenInterest ?? 0, GreekUnits.ImpliedVol(option.Iv),
                GreekUnits.FromDeskUnits(option.Delta, option.Gamma, option.Theta, option.Vega, option.Rho), asOf));
        }

        IReadOnlyList<DropCount> dropped = unreadable > 0 ? [new DropCount("unparseable-record", unreadable)] : [];
        return new ChainSnapshot(symbol, asOf, Provider, quote, contracts, [], [], [], dropped);
    }
}
