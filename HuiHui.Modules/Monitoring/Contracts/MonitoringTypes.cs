namespace HuiHui.Modules.Monitoring.Contracts;

/// <summary>How loud an alert is.</summary>
public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}
