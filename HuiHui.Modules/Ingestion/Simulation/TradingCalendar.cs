namespace HuiHui.Modules.Ingestion.Simulation;

/// <summary>
/// The simulated market's calendar: weekdays only (no holidays), a 390-minute session from 14:30 to 21:00 UTC
/// (09:30–16:00 New York in winter; daylight saving is ignored).
/// </summary>
internal static class TradingCalendar
{
    public const int MinutesPerDay = 390;

    public static readonly TimeOnly Open = new(14, 30);

    public static bool IsWeekday(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The date itself when a weekday, else the following Monday.</summary>
    public static DateOnly OnOrAfter(DateOnly date)
    {
        while (!IsWeekday(date))
        {
            date = date.AddDays(1);
        }

        return date;
    }

    /// <summary><paramref name="days"/> weekdays after (or before, when negative) the weekday <paramref name="date"/>.</summary>
    public static DateOnly AddWeekdays(DateOnly date, int days)
    {
        var offset = (int)date.DayOfWeek - 1; // Monday = 0
        var total = offset + days;
        var weeks = (int)Math.Floor(total / 5.0);
        var rest = total - weeks * 5;
        return date.AddDays(weeks * 7 + rest - offset);
    }

    public static DateTimeOffset Close(DateOnly date) => new(date.ToDateTime(Open.AddMinutes(MinutesPerDay)), TimeSpan.Zero);

    /// <summary>Weekdays in [<paramref name="from"/>, <paramref name="to"/>): how many sessions lie between two weekdays.</summary>
    public static int WeekdaysBetween(DateOnly from, DateOnly to)
    {
        var days = to.DayNumber - from.DayNumber;
        var weeks = Math.DivRem(days, 7, out _);
        var count = weeks * 5;
        for (var day = from.AddDays(weeks * 7); day < to; day = day.AddDays(1))
        {
            count += IsWeekday(day) ? 1 : 0;
        }

        return count;
    }
}
