namespace HuiHui.Modules.Shared.Persistence;

/// <summary>
/// Every time HuiHui stores is a UTC instant (offset zero): provider times are converted where they are parsed. This guard
/// stands where times enter the database and at the ingestion boundary, so a parser that forgets fails loudly — in tests
/// first — instead of writing a shifted time or tripping over Npgsql's refusal halfway through a batch.
/// </summary>
internal static class UtcTime
{
    /// <summary>The start of the UTC hour holding <paramref name="time"/> (the hourly rollups' bucket).</summary>
    public static DateTimeOffset HourOf(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    public static DateTimeOffset Require(DateTimeOffset value, string field) =>
        value.Offset == TimeSpan.Zero ? value : throw new NonUtcTimeException(field, value);
}

/// <summary>A <see cref="DateTimeOffset"/> with a non-zero offset reached a place that only takes UTC.</summary>
internal sealed class NonUtcTimeException(string field, DateTimeOffset value)
    : InvalidOperationException($"{field} is {value:O}, not UTC: provider times must be converted to UTC where they are parsed")
{
    public string Field { get; } = field;
}
