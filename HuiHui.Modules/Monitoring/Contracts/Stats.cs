using Mediator;

namespace HuiHui.Modules.Monitoring.Contracts;

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

/// <summary>
/// Recompute the stored hourly rollups of stage latencies and usage for the hours from <paramref name="From"/> (its hour)
/// to <paramref name="To"/> (its hour included) from the raw rows. Monitoring runs it every minute for the open and the
/// previous hour; a closed hour's rollup is final.
/// </summary>
public sealed record RollUpHours(DateTimeOffset From, DateTimeOffset To) : ICommand<int>;

/// <summary>Hourly rollups of stage latencies and expert/LLM usage between <paramref name="From"/> and <paramref name="To"/>, for the hub, read from the stored rollups (never the raw rows).</summary>
public sealed record GetHourlyRollups(DateTimeOffset From, DateTimeOffset To) : IQuery<HourlyRollups>;

public sealed record HourlyRollups(IReadOnlyList<StageHour> Stages, IReadOnlyList<UsageHour> Usage);

/// <summary>One stage in one hour: cycles and latency percentiles (ms).</summary>
public sealed record StageHour(DateTimeOffset Hour, string Stage, long Count, double P50, double P95, double P99, double Max);

/// <summary>One kind/name of call in one hour: calls, failures, tokens, mean latency (ms).</summary>
public sealed record UsageHour(DateTimeOffset Hour, string Kind, string Name, long Calls, long Failures, long PromptTokens, long CompletionTokens, double MeanLatencyMs);
