using HuiHui.Modules.Shared.Contracts;
using Mediator;

namespace HuiHui.Modules.Monitoring.Contracts;

/// <summary>
/// Apply retention as of now: every time-series table's day partitions past its window (<c>HuiHui:Retention</c>) dropped,
/// then resolved alerts and archived headlines past theirs (<c>HuiHui:Monitoring:Retention</c>) deleted.
/// </summary>
public sealed record ApplyRetention : ICommand<RetentionReport>;

/// <param name="Partitions">What the partition upkeep created and dropped, per table.</param>
/// <param name="RowsDeleted">Rows deleted from tables that are not partitioned.</param>
public sealed record RetentionReport(PartitionReport Partitions, IReadOnlyDictionary<string, int> RowsDeleted);
