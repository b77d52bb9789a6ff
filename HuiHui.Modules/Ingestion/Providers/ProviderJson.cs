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

    /// <summary>Eastern time (the US exchanges' clock) as an offset, for providers that send local timestamps.</summary>
    public static DateTimeOffset FromEastern(DateTime local)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }

    public static DateTime ToEastern(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).DateTime;

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
