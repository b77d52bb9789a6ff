using System.Globalization;

namespace HuiHui.Host.Hosting;

/// <summary>Times typed by people (CLI options, hub forms): ISO 8601, UTC when no offset is given.</summary>
internal static class TimeInput
{
    /// <summary>
    /// Reads a range's start and end (ISO 8601; UTC when no offset is given; either may be absent); on failure
    /// <paramref name="error"/> names the text that is not a time.
    /// </summary>
    public static bool TryParse(string? fromText, string? toText, out DateTimeOffset? from, out DateTimeOffset? to, out string error)
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
}
