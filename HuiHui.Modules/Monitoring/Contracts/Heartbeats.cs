using Mediator;

namespace HuiHui.Modules.Monitoring.Contracts;

/// <summary>
/// A component is alive (sent whenever it does its work; cheap, in memory). Monitoring writes one
/// <c>system_health.uptime_logs</c> row per component per minute and alerts when a component stops beating.
/// </summary>
public sealed record RecordHeartbeat(string Component, string Status = "ok", string? Detail = null) : ICommand;

/// <summary>Components that beat, by name.</summary>
public static class Components
{
    public const string IngestionLoop = "ingestion-loop";
    public const string Orchestrator = "orchestrator";
    public const string ResponseWriter = "response-writer";
    public const string HangfireServer = "hangfire-server";
}

/// <summary>Each component's last beat (this process) and its uptime over the last <paramref name="Window"/> from <c>uptime_logs</c>.</summary>
public sealed record GetUptime(TimeSpan Window) : IQuery<IReadOnlyList<ComponentUptime>>;

/// <param name="Component">The component.</param>
/// <param name="LastBeat">Its last beat in this process, if any.</param>
/// <param name="Status">The status of that beat.</param>
/// <param name="Detail">Its detail.</param>
/// <param name="MinutesUp">Minutes of the window with a beat.</param>
/// <param name="MinutesObserved">Minutes of the window since the component's first logged beat in it.</param>
public sealed record ComponentUptime(string Component, DateTimeOffset? LastBeat, string? Status, string? Detail, int MinutesUp, int MinutesObserved)
{
    /// <summary>Share of observed minutes with a beat, 0–1 (1 when nothing observed yet).</summary>
    public double Ratio => MinutesObserved == 0 ? 1 : Math.Min(1, (double)MinutesUp / MinutesObserved);
}
