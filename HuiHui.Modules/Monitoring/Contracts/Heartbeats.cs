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
