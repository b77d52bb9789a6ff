using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Persistence;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HuiHui.Modules.Shared.Features;

/// <summary>
/// Upkeep of every registered <see cref="TimeSeriesTable"/>: partitions ahead, the default partition drained into day
/// partitions (rows past the window deleted instead), and day partitions wholly past the window dropped.
/// </summary>
internal sealed partial class MaintainPartitionsHandler(
    NpgsqlDataSource dataSource,
    IEnumerable<TimeSeriesTable> tables,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<MaintainPartitionsHandler> logger) : ICommandHandler<MaintainPartitions, PartitionReport>
{
    public async ValueTask<PartitionReport> Handle(MaintainPartitions command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var today = DailyPartitions.DayOf(now);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var report = new List<TablePartitions>();
        foreach (var table in tables)
        {
            var days = WindowOf(table, settings);

            // Past the window: rows older than now − days. A day partition goes once all of it is past (its end is at or before
            // the cut), so up to a day more than the window is kept; nothing is dropped when the window is 0.
            DateTimeOffset? cut = days > 0 ? now.AddDays(-days) : null;
            DateOnly? firstKept = cut is { } c ? DailyPartitions.DayOf(c) : null;
            var created = new List<string>();
            for (var day = today; day <= today.AddDays(settings.PartitionsAhead); day = day.AddDays(1))
            {
                if (await DailyPartitions.CreateAsync(connection, table, day, cancellationToken))
                {
                    created.Add(DailyPartitions.PartitionName(table.Table, day));
                }
            }

            long defaultDeleted = 0;
            if (cut is { } before)
            {
                defaultDeleted = await DailyPartitions.DeleteFromDefaultAsync(connection, table, before, cancellationToken);
            }

            foreach (var day in await DailyPartitions.DefaultDaysAsync(connection, table, cancellationToken))
            {
                if (firstKept is { } first && day < first)
                {
                    continue; // wholly past the window: its rows were deleted just above
                }

                if (await DailyPartitions.CreateAsync(connection, table, day, cancellationToken))
                {
                    created.Add(DailyPartitions.PartitionName(table.Table, day));
                }
            }

            var dropped = new List<DroppedPartition>();
            var partitions = await DailyPartitions.ListAsync(connection, table, cancellationToken);
            foreach (var (name, day, rows) in partitions)
            {
                if (firstKept is { } first && day < first)
                {
                    await DailyPartitions.DropAsync(connection, table, day, cancellationToken);
                    dropped.Add(new DroppedPartition(name, day, rows));
                }
            }

            if (dropped.Count > 0 || defaultDeleted > 0)
            {
                LogDropped(logger, table.QualifiedName, dropped.Count, dropped.Sum(d => Math.Max(0, d.EstimatedRows)), defaultDeleted, days);
            }

            report.Add(new TablePartitions(table.QualifiedName, days, created, dropped, defaultDeleted, partitions.Count - dropped.Count));
        }

        return new PartitionReport(report);
    }

    /// <summary>The configured window for the table, else its module's default.</summary>
    public static int WindowOf(TimeSeriesTable table, RetentionOptions settings) =>
        settings.Days.TryGetValue(table.QualifiedName, out var configured) ? configured : table.RetentionDays;

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention on {Table}: dropped {Partitions} day partition(s) (~{Rows} rows) and {DefaultRows} stray row(s) older than {Days} days")]
    private static partial void LogDropped(ILogger logger, string table, int partitions, long rows, long defaultRows, int days);
}
