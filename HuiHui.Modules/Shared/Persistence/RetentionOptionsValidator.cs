using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Shared.Persistence;

/// <summary>Every configured window names a registered table and is not negative: a typo must not silently keep data forever.</summary>
internal sealed class RetentionOptionsValidator(IEnumerable<TimeSeriesTable> tables) : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var known = tables.Select(t => t.QualifiedName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var failures = new List<string>();
        foreach (var (table, days) in options.Days)
        {
            if (!known.Contains(table))
            {
                failures.Add($"{RetentionOptions.Section}:Days:{table} names no time-series table; the tables are {string.Join(", ", known.Order(StringComparer.Ordinal))}");
            }
            else if (days < 0)
            {
                failures.Add($"{RetentionOptions.Section}:Days:{table} is {days}; use a number of days, or 0 to keep everything");
            }
        }

        if (options.PartitionsAhead is < 1 or > 60)
        {
            failures.Add($"{RetentionOptions.Section}:PartitionsAhead is {options.PartitionsAhead}; use 1 to 60 days");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
