using System.ComponentModel.DataAnnotations;
using HuiHui.Modules.Shared.Persistence;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Shared.Contracts;

/// <summary>
/// A table that grows with time, partitioned by day (UTC) on <paramref name="Column"/> with PostgreSQL's declarative
/// partitioning: one partition per day named <c>TABLE_pYYYYMMDD</c>, plus <c>TABLE_default</c> for rows no day partition
/// holds yet. Its module declares it with <see cref="TimeSeriesRegistration.AddTimeSeriesTable"/>; retention drops whole
/// day partitions past the table's window (<c>HuiHui:Retention:Days</c>).
/// </summary>
/// <param name="Schema">The owning module's schema.</param>
/// <param name="Table">The partitioned (parent) table.</param>
/// <param name="Column">The <c>timestamptz</c> partition key.</param>
/// <param name="RetentionDays">Days kept unless configured otherwise; 0 keeps everything.</param>
public sealed record TimeSeriesTable(string Schema, string Table, string Column, int RetentionDays)
{
    public string QualifiedName => $"{Schema}.{Table}";
}

public static class TimeSeriesRegistration
{
    /// <summary>Declares one of the module's day-partitioned tables (for partition upkeep and retention).</summary>
    public static IServiceCollection AddTimeSeriesTable(this IServiceCollection services, TimeSeriesTable table)
    {
        services.AddSingleton(table);
        return services;
    }
}

/// <summary>
/// <c>HuiHui:Retention</c>: how long each time-series table keeps its rows, in days of its partition key
/// (<c>Days</c>, keyed by <c>schema.table</c>; 0 keeps everything), and how many days of partitions are created ahead.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "HuiHui:Retention";

    public Dictionary<string, int> Days { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    [Range(1, 60)]
    public int PartitionsAhead { get; set; } = 3;
}

/// <summary>
/// Partition upkeep and retention for every registered <see cref="TimeSeriesTable"/>, as of now: day partitions created
/// for today and <see cref="RetentionOptions.PartitionsAhead"/> days ahead, rows parked in a default partition moved to
/// their day, and day partitions entirely past the table's window dropped (constant time, no bloat).
/// </summary>
public sealed record MaintainPartitions : ICommand<PartitionReport>;

/// <param name="Tables">One entry per table, in registration order.</param>
public sealed record PartitionReport(IReadOnlyList<TablePartitions> Tables)
{
    public int Dropped => Tables.Sum(t => t.Dropped.Count);
}

/// <param name="Table"><c>schema.table</c>.</param>
/// <param name="RetentionDays">The window applied (0: everything kept).</param>
/// <param name="Created">Day partitions created.</param>
/// <param name="Dropped">Day partitions dropped, with the rows they held (PostgreSQL's estimate: nothing is counted).</param>
/// <param name="DefaultRowsDeleted">Rows past the window deleted from the default partition.</param>
/// <param name="Partitions">Day partitions after the upkeep.</param>
public sealed record TablePartitions(string Table, int RetentionDays, IReadOnlyList<string> Created, IReadOnlyList<DroppedPartition> Dropped, long DefaultRowsDeleted, int Partitions);

/// <param name="Name">The partition dropped.</param>
/// <param name="Day">The UTC day it held.</param>
/// <param name="EstimatedRows">PostgreSQL's row estimate for it (<c>reltuples</c>; −1 when never analysed).</param>
public sealed record DroppedPartition(string Name, DateOnly Day, long EstimatedRows);
