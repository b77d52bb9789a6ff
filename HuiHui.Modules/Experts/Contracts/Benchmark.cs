using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>
/// <c>huihui bench</c>: fetch <paramref name="Symbol"/>, widen its chain to <paramref name="Contracts"/> contracts, then
/// run <paramref name="Cycles"/> analyses of it (each with a new snapshot time, so metrics are computed every cycle),
/// not persisted. Latency percentiles per stage exclude the warm-up cycles.
/// </summary>
public sealed record RunAnalysisBenchmark(string Symbol, int Cycles, int Contracts, int WarmupCycles = 200) : ICommand<AnalysisBenchmark>;

public sealed record AnalysisBenchmark(string Symbol, int Contracts, int Prints, int Cycles, IReadOnlyList<StageLatency> Stages);

/// <summary>Milliseconds.</summary>
public sealed record StageLatency(string Stage, double P50, double P99, double Max);
