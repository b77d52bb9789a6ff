using System.Globalization;
using System.Text.RegularExpressions;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>
/// The part of a chain the metrics are computed on, as in the EOTS control panel: days to expiry from
/// <see cref="MinDte"/> to <see cref="MaxDte"/> (calendar days from the session's New York date, 0 = expiring today) and strikes
/// within ±<see cref="StrikeRangePercent"/> % of spot. Any bound left null is open; all null is the whole chain.
/// </summary>
public sealed partial record ChainSlice(int? MinDte = null, int? MaxDte = null, double? StrikeRangePercent = null)
{
    public static ChainSlice Whole { get; } = new();

    public bool IsWhole => MinDte is null && MaxDte is null && StrikeRangePercent is null;

    /// <summary>Why these bounds cannot be used, or null when they can.</summary>
    public string? Problem() =>
        MinDte is < 0 ? $"days to expiry cannot be negative ({MinDte})"
        : MaxDte is < 0 ? $"days to expiry cannot be negative ({MaxDte})"
        : MinDte is { } min && MaxDte is { } max && min > max ? $"days to expiry {min}–{max}: the minimum is above the maximum"
        : StrikeRangePercent is { } range && (!double.IsFinite(range) || range <= 0 || range > 100) ? $"strike range {range.ToString(CultureInfo.InvariantCulture)} %: give a percentage of spot above 0 and at most 100"
        : null;

    public bool Contains(int daysToExpiry, double strike, double spot) =>
        (MinDte is not { } min || daysToExpiry >= min)
        && (MaxDte is not { } max || daysToExpiry <= max)
        && (StrikeRangePercent is not { } range || Math.Abs(strike - spot) <= spot * range / 100 + 1e-9);

    /// <summary>Plain words for the analysis and its messages.</summary>
    public string Describe(double spot)
    {
        if (IsWhole)
        {
            return "the whole chain";
        }

        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>(2);
        if (MinDte is not null || MaxDte is not null)
        {
            parts.Add(MinDte == MaxDte ? $"days to expiry {MinDte}"
                : MaxDte is null ? $"days to expiry {MinDte} or more"
                : MinDte is null ? $"days to expiry up to {MaxDte}"
                : $"days to expiry {MinDte}–{MaxDte}");
        }

        if (StrikeRangePercent is { } range)
        {
            parts.Add(string.Create(c, $"strikes within ±{range:0.##} % of {spot:0.00}"));
        }

        return string.Join(", ", parts);
    }

    /// <summary>
    /// Reads the CLI's and the hub's forms: <paramref name="dte"/> as <c>N</c>, <c>MIN-MAX</c>, <c>MIN-</c> or <c>-MAX</c>;
    /// <paramref name="strikeRange"/> as a percentage (<c>5</c> or <c>5%</c>). Either may be null or empty.
    /// </summary>
    public static bool TryParse(string? dte, string? strikeRange, out ChainSlice slice, out string? error)
    {
        slice = Whole;
        error = null;
        int? min = null, max = null;
        if (!string.IsNullOrWhiteSpace(dte))
        {
            var match = DtePattern().Match(dte.Trim());
            if (!match.Success || (match.Groups["min"].Length == 0 && match.Groups["max"].Length == 0))
            {
                error = $"days to expiry '{dte}': give N, MIN-MAX, MIN- or -MAX in whole days (e.g. 0-5)";
                return false;
            }

            min = match.Groups["min"].Length > 0 ? int.Parse(match.Groups["min"].Value, CultureInfo.InvariantCulture) : null;
            max = match.Groups["dash"].Length == 0 ? min
                : match.Groups["max"].Length > 0 ? int.Parse(match.Groups["max"].Value, CultureInfo.InvariantCulture) : null;
        }

        double? range = null;
        if (!string.IsNullOrWhiteSpace(strikeRange))
        {
            if (!double.TryParse(strikeRange.Trim().TrimEnd('%').Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
            {
                error = $"strike range '{strikeRange}': give a percentage of spot, e.g. 5";
                return false;
            }

            range = percent;
        }

        slice = new ChainSlice(min, max, range);
        error = slice.Problem();
        return error is null;
    }

    [GeneratedRegex(@"^(?<min>\d{1,4})?\s*(?<dash>[-–])?\s*(?<max>\d{1,4})?$")]
    private static partial Regex DtePattern();
}

/// <summary>No contract of the snapshot falls inside the slice: nothing to compute, said plainly instead of zeros.</summary>
public sealed class EmptySliceException(string message) : HuiHui.Modules.Shared.Contracts.RefusedRequestException(message);
