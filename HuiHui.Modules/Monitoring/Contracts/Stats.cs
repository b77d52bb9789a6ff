using Mediator;

namespace HuiHui.Modules.Monitoring.Contracts;


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
