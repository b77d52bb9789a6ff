using Mediator;

namespace HuiHui.Modules.Learning.Contracts;

/// <summary>
/// Turn feature vectors whose horizon has passed (by the archived prices) into labelled examples: forward log return,
/// its direction (±1, 0 inside ±1 basis point) and whether each expert's direction was right. Idempotent.
/// </summary>
public sealed record GenerateLabels(TimeSpan Horizon) : ICommand<LabelReport>;

public sealed record LabelReport(int Considered, int Labelled, int WaitingForPrices);

/// <summary>
/// Per-expert scorecards from the labelled examples of <paramref name="Horizon"/>, optionally for one symbol: rolling
/// (last <paramref name="RollingCount"/> decided examples) and long-run hit rate, Brier score and calibration by
/// confidence bucket, per regime too. Raises <c>learning/accuracy-drop:EXPERT</c> when the rolling hit rate is more than
/// <paramref name="AlertMargin"/> below the long-run one (and resolves it when it recovers).
/// </summary>
public sealed record RefreshScorecards(TimeSpan Horizon, string? Symbol = null, int RollingCount = 100, double AlertMargin = 0.1) : ICommand<IReadOnlyList<ExpertScorecard>>;

/// <param name="Expert">flow, sentiment or meta.</param>
/// <param name="Regime">null for all regimes.</param>
/// <param name="Examples">Decided examples (the expert had a direction).</param>
/// <param name="HitRate">Share right, long run.</param>
/// <param name="RollingHitRate">Share right over the most recent examples.</param>
/// <param name="Brier">Mean (p − outcome)², p = 0.5 + confidence / 2 the stated chance of being right; lower is better.</param>
/// <param name="Calibration">Hit rate per confidence bucket (0–0.25, 0.25–0.5, 0.5–0.75, 0.75–1); NaN when empty.</param>
public sealed record ExpertScorecard(string Expert, string? Regime, int Examples, double HitRate, double RollingHitRate, double Brier, IReadOnlyList<double> Calibration);

/// <summary>The expert scorecards as <see cref="RefreshScorecards"/> computes them, without raising or resolving alerts (for the hub).</summary>
public sealed record GetExpertScorecards(TimeSpan Horizon, string? Symbol = null, int RollingCount = 100) : IQuery<IReadOnlyList<ExpertScorecard>>;

/// <summary>Each expert's daily hit rate over the labelled examples of <paramref name="Horizon"/> in the last <paramref name="Days"/> days (oldest first), for the hub's chart.</summary>
public sealed record GetScorecardHistory(TimeSpan Horizon, int Days = 30) : IQuery<IReadOnlyList<ScorecardDay>>;

/// <param name="Day">The day (UTC) of the examples' as-of times.</param>
/// <param name="Expert">flow, sentiment or meta.</param>
/// <param name="Examples">Decided examples that day.</param>
/// <param name="HitRate">Share right.</param>
public sealed record ScorecardDay(DateTimeOffset Day, string Expert, int Examples, double HitRate);
