using HuiHui.Modules.Shared.Contracts;
using Mediator;

namespace HuiHui.Modules.Monitoring.Contracts;


/// <summary>Open alerts (most severe, then newest first) and then those resolved most recently, at most <paramref name="Count"/>.</summary>
public sealed record GetRecentAlerts(int Count = 20) : IQuery<IReadOnlyList<AlertInfo>>;

public sealed record AlertInfo(long Id, AlertSeverity Severity, string Source, string Code, string Message, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, int Count, DateTimeOffset? ResolvedAt);
