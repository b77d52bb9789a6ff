using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HuiHui.Modules.Ingestion.Validation;

namespace HuiHui.Modules.Ingestion.Providers;

/// <summary>Deserialising provider payloads with a clear error that names where the JSON went wrong.</summary>
internal static class ProviderJson
{
    public static T Read<T>(string provider, ReadOnlySpan<byte> payload, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(payload, type)
                ?? throw new ProviderPayloadException(provider, "$", "the payload is the JSON literal null");
        }
        catch (JsonException error)
        {
            var where = (error as NestedJsonException ?? error).LineNumber is { } line ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {error.BytePositionInLine})") : "";
            var path = string.IsNullOrEmpty(error.Path) ? "$" : error.Path;
            if (error is NestedJsonException nested)
            {
                path += nested.RelativePath;
                error = (JsonException)nested.InnerException!;
            }

            throw new ProviderPayloadException(provider, path, $"malformed JSON{where}: {FirstSentence(error.Message)}", error);
        }
    }

    /// <summary>The US exchanges' clock (New York, daylight saving included).</summary>
    public static readonly TimeZoneInfo Exchange = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>
    /// A wall-clock time on the exchange's clock (New York) as a UTC instant (offset zero): providers that stamp payloads
    /// in exchange time are converted here, where they are parsed, so nothing downstream sees another offset. A time in the
    /// spring-forward gap (02:00–02:59 on the March change) is read with the standard offset; an ambiguous time in the
    /// repeated hour of November is read as standard time. Neither falls in a trading session.
    /// </summary>
    public static DateTimeOffset FromEastern(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = Exchange.IsInvalidTime(unspecified) ? Exchange.BaseUtcOffset : Exchange.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset).ToUniversalTime();
    }

    /// <summary>The exchange's wall-clock time of <paramref name="instant"/>.</summary>
    public static DateTime ToEastern(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Exchange).DateTime;

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
