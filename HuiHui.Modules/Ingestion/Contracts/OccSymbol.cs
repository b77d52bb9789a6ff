using HuiHui.Modules.Shared.Contracts;
using System.Globalization;

namespace HuiHui.Modules.Ingestion.Contracts;

/// <summary>
/// An OCC option symbol (OSI, without padding): root (1–6 characters), expiry <c>yyMMdd</c>, <c>C</c> or <c>P</c>,
/// strike × 1000 in 8 digits. Years are 2000–2099 (the format postdates 2010). <c>SPY240621C00500000</c> = SPY, 2024-06-21, call, 500.
/// </summary>
public readonly record struct OccSymbol(string Root, DateOnly Expiry, OptionRight Right, double Strike)
{
    public static OccSymbol Parse(string text) =>
        TryParse(text, out var symbol, out var error) ? symbol : throw new FormatException(error);

    public static bool TryParse(string? text, out OccSymbol symbol, out string? error)
    {
        symbol = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 16 || text.Length > 21)
        {
            error = $"OCC symbol '{text}' must be a root of 1-6 characters, yyMMdd, C or P and an 8-digit strike";
            return false;
        }

        // Hand-parsed: this runs for every contract of every chain (thousands per fetch).
        var tail = text.AsSpan(text.Length - 15);
        var rootSpan = text.AsSpan(0, text.Length - 15).TrimEnd();
        if (rootSpan.Length == 0 || rootSpan.ContainsAnyExcept(RootCharacters))
        {
            error = $"OCC symbol '{text}' has no valid root";
            return false;
        }

        if (!TryDigits(tail[..6], out var yymmdd) || !TryDate(yymmdd, out var expiry))
        {
            error = $"OCC symbol '{text}' has an invalid expiry '{tail[..6]}'";
            return false;
        }

        OptionRight right;
        switch (tail[6])
        {
            case 'C': right = OptionRight.Call; break;
            case 'P': right = OptionRight.Put; break;
            default:
                error = $"OCC symbol '{text}' has right '{tail[6]}', expected C or P";
                return false;
        }

        if (!TryDigits(tail[7..], out var thousandths) || thousandths == 0)
        {
            error = $"OCC symbol '{text}' has an invalid strike '{tail[7..]}'";
            return false;
        }

        var root = rootSpan.Length == text.Length - 15 ? text[..^15] : rootSpan.ToString();
        symbol = new OccSymbol(root, expiry, right, thousandths / 1000.0);
        return true;
    }

    private static readonly System.Buffers.SearchValues<char> RootCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    private static bool TryDigits(ReadOnlySpan<char> digits, out long value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return true;
    }

    private static bool TryDate(long yymmdd, out DateOnly date)
    {
        var year = 2000 + (int)(yymmdd / 10000);
        var month = (int)(yymmdd / 100 % 100);
        var day = (int)(yymmdd % 100);
        var valid = month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
        date = valid ? new DateOnly(year, month, day) : default;
        return valid;
    }

    public static string Format(string root, DateOnly expiry, OptionRight right, double strike) =>
        string.Create(CultureInfo.InvariantCulture, $"{root}{expiry:yyMMdd}{(right == OptionRight.Call ? 'C' : 'P')}{(long)Math.Round(strike * 1000):D8}");

    public override string ToString() => Format(Root, Expiry, Right, Strike);
}
