using Mediator;

namespace HuiHui.Modules.Shared.Contracts;

// The write-only telemetry every module may send (issue 20's layers): alerts, heartbeats, stage latencies, usage.
// Monitoring handles them and owns their tables; a module sending them depends on Shared only, never on Monitoring.

/// <summary>
/// Something is wrong. Repeats of an open alert with the same <paramref name="Source"/> and <paramref name="Code"/>
/// update that alert (count, last seen, message) instead of adding one.
/// </summary>
public sealed record RaiseAlert(string Source, string Code, AlertSeverity Severity, string Message) : ICommand;

/// <summary>The condition behind an open alert has cleared. No-op when none is open.</summary>
public sealed record ResolveAlert(string Source, string Code) : ICommand;

/// <summary>Alert codes: a kind, and for an alert about one named thing (a provider, a writer) that thing's name.</summary>
public static class AlertCodes
{
    /// <summary>The longest code Monitoring keeps.</summary>
    public const int MaxLength = 64;

    private const int HashLength = 8;

    /// <summary>
    /// <c>KIND:NAME</c>; when that is longer than <see cref="MaxLength"/> (a file source's path), the kind, the end of the
    /// name and <c>~</c> with the first hex digits of the name's SHA-256. The same name always gives the same code, so the
    /// alert a failure raised is the one its recovery resolves, and two long names that end alike still differ.
    /// </summary>
    public static string Named(string kind, string name)
    {
        var code = $"{kind}:{name}";
        if (code.Length <= MaxLength)
        {
            return code;
        }

        var tail = MaxLength - kind.Length - 2 - HashLength;
        if (tail < 1)
        {
            throw new ArgumentException($"alert kind '{kind}' leaves no room for a name within {MaxLength} characters", nameof(kind));
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)).AsSpan(0, HashLength / 2));
        return $"{kind}:{name[^tail..]}~{hash}";
    }
}

/// <summary>How loud an alert is.</summary>
public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

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

/// <summary>
/// Latency of each stage of one orchestrator cycle for a symbol, for <c>usage_stats.orchestrator_stats</c>.
/// Queued and written in batches: sending it never waits on the database (stats are dropped, and counted, when the
/// queue is full because PostgreSQL is down).
/// </summary>
public sealed record RecordStageLatencies(Guid CycleId, string Symbol, DateTimeOffset OccurredAt, IReadOnlyList<StageSample> Stages) : ICommand;

/// <param name="Stage">e.g. <c>metrics</c>, <c>experts</c>, <c>meta</c>, <c>total</c>.</param>
/// <param name="LatencyMs">Milliseconds.</param>
/// <param name="ItemCount">Items handled in the stage (contracts, experts), 0 when not meaningful.</param>
public sealed record StageSample(string Stage, double LatencyMs, int ItemCount);

/// <summary>
/// One expert or LLM call for <c>usage_stats.huihui_usage</c>: <paramref name="Kind"/> <c>expert</c> or <c>llm</c>,
/// tokens for LLM calls, latency, outcome. Queued and written in batches like the stage latencies.
/// </summary>
public sealed record RecordUsage(string Kind, string Name, string? Model, int? PromptTokens, int? CompletionTokens, double LatencyMs, bool Success, string? Error, DateTimeOffset OccurredAt) : ICommand;
