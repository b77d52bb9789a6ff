using Mediator;

namespace HuiHui.Modules.Monitoring.Contracts;

/// <summary>
/// Something is wrong. Repeats of an open alert with the same <paramref name="Source"/> and <paramref name="Code"/>
/// update that alert (count, last seen, message) instead of adding one.
/// </summary>
public sealed record RaiseAlert(string Source, string Code, AlertSeverity Severity, string Message) : ICommand;

/// <summary>The condition behind an open alert has cleared. No-op when none is open.</summary>
public sealed record ResolveAlert(string Source, string Code) : ICommand;

/// <summary>Open alerts (most severe, then newest first) and then those resolved most recently, at most <paramref name="Count"/>.</summary>
public sealed record GetRecentAlerts(int Count = 20) : IQuery<IReadOnlyList<AlertInfo>>;

public sealed record AlertInfo(long Id, AlertSeverity Severity, string Source, string Code, string Message, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, int Count, DateTimeOffset? ResolvedAt);
