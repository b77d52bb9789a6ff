using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuiHui.Host.Cli;

/// <summary>Writes a verb's result either for people (stdout text, errors on stderr) or as one JSON document.</summary>
internal sealed class CliOutput(bool json)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public bool Json => json;

    /// <summary>
    /// Reads <c>--from</c> and <c>--to</c> (ISO 8601; UTC when no offset is given; either may be absent); on failure
    /// <paramref name="error"/> names the text that is not a time.
    /// </summary>
    public static bool TryTimes(string? fromText, string? toText, out DateTimeOffset? from, out DateTimeOffset? to, out string error)
    {
        to = null;
        error = "";
        if (!TryTime(fromText, out from) || !TryTime(toText, out to))
        {
            error = $"'{(TryTime(fromText, out _) ? toText : fromText)}' is not a time: use ISO 8601, e.g. 2026-11-24T14:30:00Z";
            return false;
        }

        return true;
    }

    private static bool TryTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        time = parsed.ToUniversalTime();
        return true;
    }

    public int Ok<T>(T payload, Func<T, string> human)
    {
        Console.Out.WriteLine(json ? JsonSerializer.Serialize(payload, JsonOptions) : human(payload));
        return HuiHuiCli.Success;
    }

    public int Fail(int exitCode, string message, string? hint = null)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { error = message, exitCode }, JsonOptions));
        }
        else
        {
            Console.Error.WriteLine($"error: {message}");
            if (hint is not null)
            {
                Console.Error.WriteLine(hint);
            }
        }

        return exitCode;
    }
}
