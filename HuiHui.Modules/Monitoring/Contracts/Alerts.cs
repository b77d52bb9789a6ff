using Mediator;

namespace HuiHui.Modules.Monitoring.Contracts;

/// <summary>
/// Something is wrong. Repeats of an open alert with the same <paramref name="Source"/> and <paramref name="Code"/>
/// update that alert (count, last seen, message) instead of adding one.
/// </summary>
public sealed record RaiseAlert(string Source, string Code, AlertSeverity Severity, string Message) : ICommand;

/// <summary>The condition behind an open alert has cleared. No-op when none is open.</summary>
public sealed record ResolveAlert(string Source, string Code) : ICommand;
