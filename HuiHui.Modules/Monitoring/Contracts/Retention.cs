using Mediator;

namespace HuiHui.Modules.Monitoring.Contracts;

/// <summary>Apply the configured retention (<c>HuiHui:Monitoring:Retention</c>) as of now; returns rows deleted per table.</summary>
public sealed record ApplyRetention : ICommand<RetentionReport>;

public sealed record RetentionReport(IReadOnlyDictionary<string, int> RowsDeleted);
