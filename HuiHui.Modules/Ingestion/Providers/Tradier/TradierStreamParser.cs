using System.Globalization;
using System.Text.Json;
using HuiHui.Modules.Ingestion.Validation;

namespace HuiHui.Modules.Ingestion.Providers.Tradier;

/// <summary>One event of Tradier's market stream.</summary>
/// <param name="Type"><c>quote</c>, <c>trade</c>, <c>summary</c> or <c>timesale</c>.</param>
/// <param name="Price">A trade's or time-and-sale's price (<c>price</c>, else <c>last</c>).</param>
/// <param name="Size">A trade's size in contracts or shares.</param>
/// <param name="Time">The event's time (<c>date</c>, or <c>biddate</c>/<c>askdate</c> for quotes), UTC; null when not sent.</param>
internal sealed record StreamEvent(
    string Type,
    string Symbol,
    double? Bid,
    double? Ask,
    double? Price,
    long? Size,
    DateTimeOffset? Time,
    double? Open = null,
    double? High = null,
    double? Low = null,
    double? PreviousClose = null,
    bool Cancelled = false);

/// <summary>
/// Tradier's market stream (<c>wss://ws.tradier.com/v1/markets/events</c>): one JSON object per line, <c>type</c> naming the
/// event. Numbers come as JSON numbers in quotes and as strings in trades, summaries and time and sales; times are epoch
/// milliseconds, also as strings. Anything else is refused with the reason (the caller counts and logs it).
/// </summary>
internal static class TradierStreamParser
{
    public static StreamEvent? Parse(ReadOnlySpan<byte> line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.ToArray());
        }
        catch (JsonException error)
        {
            throw new ProviderPayloadException(TradierParser.Provider, "stream", $"malformed message: {error.Message.Split(" Path:")[0]}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ProviderPayloadException(TradierParser.Provider, "stream", $"expected an object, got {root.ValueKind}");
            }

            var type = Text(root, "type") ?? throw new ProviderPayloadException(TradierParser.Provider, "stream.type", "missing");
            if (type is not ("quote" or "trade" or "summary" or "timesale" or "tradex"))
            {
                return null; // heartbeats and event types HuiHui does not use
            }

            var symbol = Text(root, "symbol") ?? throw new ProviderPayloadException(TradierParser.Provider, "stream.symbol", $"missing in a {type} event");
            return type switch
            {
                "quote" => new StreamEvent(type, symbol, Number(root, "bid"), Number(root, "ask"), null, null,
                    Millis(root, "biddate") is { } bidAt && Millis(root, "askdate") is { } askAt ? (bidAt > askAt ? bidAt : askAt) : Millis(root, "biddate") ?? Millis(root, "askdate")),
                "summary" => new StreamEvent(type, symbol, null, null, null, null, null, Number(root, "open"), Number(root, "high"), Number(root, "low"), Number(root, "prevClose")),
                _ => new StreamEvent(type == "tradex" ? "trade" : type, symbol, Number(root, "bid"), Number(root, "ask"), Number(root, "price") ?? Number(root, "last"),
                    (long?)Number(root, "size"), Millis(root, "date"), Cancelled: Flag(root, "cancel") || Flag(root, "correction")),
            };
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when value.GetString() is { Length: > 0 } text =>
                double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed)
                    ? parsed
                    : throw new ProviderPayloadException(TradierParser.Provider, $"stream.{name}", $"'{text}' is not a number"),
            _ => null,
        };
    }

    private static DateTimeOffset? Millis(JsonElement root, string name) =>
        Number(root, name) is { } ms && ms > 0 && ms < 253402300799999 ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : null;

    private static bool Flag(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
