namespace HuiHui.Modules.Shared.Pricing;

/// <summary>Options expire at the 16:00 New York close; time to expiry is calendar time over 365 days.</summary>
internal static class ExpiryClock
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>At least one minute, so an option expiring today still has a price and greeks until the close.</summary>
    public const double MinimumYears = 1.0 / (365 * 24 * 60);

    public static DateTimeOffset Close(DateOnly expiry)
    {
        var local = expiry.ToDateTime(new TimeOnly(16, 0));
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }

    /// <summary>The New York calendar date of <paramref name="asOf"/> (the session's date).</summary>
    public static DateOnly SessionDate(DateTimeOffset asOf) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(asOf, NewYork).DateTime);

    /// <summary>Midnight in New York starting the session's date of <paramref name="asOf"/>.</summary>
    public static DateTimeOffset SessionStart(DateTimeOffset asOf)
    {
        var local = SessionDate(asOf).ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }

    /// <summary>Calendar days from the session's date to the expiry: 0 on the expiry day.</summary>
    public static int DaysTo(DateTimeOffset asOf, DateOnly expiry) => expiry.DayNumber - SessionDate(asOf).DayNumber;

    public static double YearsTo(DateTimeOffset asOf, DateOnly expiry) =>
        Math.Max((Close(expiry) - asOf).TotalDays / 365.0, MinimumYears);
}
