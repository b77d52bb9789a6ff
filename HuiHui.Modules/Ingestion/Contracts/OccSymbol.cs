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

        var tail = text.AsSpan(text.Length - 15);
        var root = text[..^15].TrimEnd();
        if (root.Length == 0 || !root.All(char.IsAsciiLetterOrDigit))
        {
            error = $"OCC symbol '{text}' has no valid root";
            return false;
        }

        if (!int.TryParse(tail[..6], NumberStyles.None, CultureInfo.InvariantCulture, out var yymmdd)
            || !DateOnly.TryParseExact($"20{yymmdd:D6}", "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expiry))
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

        if (!long.TryParse(tail[7..], NumberStyles.None, CultureInfo.InvariantCulture, out var thousandths) || thousandths == 0)
        {
            error = $"OCC symbol '{text}' has an invalid strike '{tail[7..]}'";
            return false;
        }

        symbol = new OccSymbol(root, expiry, right, thousandths / 1000.0);
        return true;
    }

    public static string Format(string root, DateOnly expiry, OptionRight right, double strike) =>
        string.Create(CultureInfo.InvariantCulture, $"{root}{expiry:yyMMdd}{(right == OptionRight.Call ? 'C' : 'P')}{(long)Math.Round(strike * 1000):D8}");

    public override string ToString() => Format(Root, Expiry, Right, Strike);
}
