using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>
/// Replays <paramref name="Source"/> (<c>simulated</c>, <c>archive</c> or <c>file:PATH</c>) for each symbol through the same
/// pipeline as live (<see cref="ReplayAnalyses"/>), proposing and following trade ideas by the live rules, and scores them
/// beside baselines run on the same snapshots. Nothing is stored. docs/metrics.md, "Backtest", defines every figure.
/// </summary>
/// <param name="Symbols">One or more symbols, replayed concurrently.</param>
/// <param name="Source">Where the snapshots come from.</param>
/// <param name="From">First snapshot time (inclusive); the simulated market defaults to five sessions before its start date.</param>
/// <param name="To">Last snapshot time (inclusive).</param>
/// <param name="Every">Step between simulated snapshots (default one minute); stored sources replay every snapshot.</param>
/// <param name="Progress">Told after every 100 snapshots of a symbol, and at its end.</param>
public sealed record RunBacktest(
    IReadOnlyList<string> Symbols,
    string Source,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    TimeSpan? Every = null,
    IProgress<BacktestProgress>? Progress = null) : IQuery<BacktestReport>;

/// <param name="Symbol">The symbol replayed.</param>
/// <param name="Snapshots">Its snapshots analysed so far.</param>
/// <param name="AsOf">The time of the last one.</param>
/// <param name="Done">The symbol's replay is over.</param>
public sealed record BacktestProgress(string Symbol, int Snapshots, DateTimeOffset AsOf, bool Done);

/// <param name="Source">The source replayed.</param>
/// <param name="Symbols">The symbols.</param>
/// <param name="From">The first snapshot's time.</param>
/// <param name="To">The last snapshot's time.</param>
/// <param name="Snapshots">Snapshots analysed, all symbols.</param>
/// <param name="ElapsedSeconds">Wall time of the whole run.</param>
/// <param name="SnapshotsPerSecond">Snapshots analysed per second of wall time.</param>
/// <param name="Summary">The ideas as the live system takes them: the rules', through the gate learned from their outcomes (walk-forward).</param>
/// <param name="Baselines">
/// On the same snapshots: <c>rulesOnly</c> (every idea the rules propose, no learning), <c>alwaysLong</c> (100 shares
/// long over each idea's holding time), <c>random</c> (100 shares long or short at random over the same holding times).
/// </param>
/// <param name="Ideas">Every idea of <paramref name="Summary"/>, in the order opened.</param>
/// <param name="Equity">Cumulative P&amp;L of <paramref name="Summary"/>'s ideas as they close, with the drawdown from the peak.</param>
/// <param name="Gates">Each symbol's gate as last learned in the run (floors, and its validation on the newer ideas).</param>
public sealed record BacktestReport(
    string Source,
    IReadOnlyList<string> Symbols,
    DateTimeOffset From,
    DateTimeOffset To,
    int Snapshots,
    double ElapsedSeconds,
    double SnapshotsPerSecond,
    BacktestSummary Summary,
    IReadOnlyDictionary<string, BacktestSummary> Baselines,
    IReadOnlyList<BacktestIdea> Ideas,
    IReadOnlyList<EquityPoint> Equity,
    IReadOnlyList<IdeaGateReport> Gates);

/// <param name="Trades">Ideas closed (those still open at the last snapshot are closed there, outcome <c>end</c>).</param>
/// <param name="HitRate">Share of trades with a positive P&amp;L at the mid.</param>
/// <param name="MeanR">Mean P&amp;L in multiples of the planned risk; null without a trade.</param>
/// <param name="Pnl">Total P&amp;L per unit at the mid, in currency.</param>
/// <param name="PnlNatural">Total P&amp;L per unit at the natural side (the conservative figure).</param>
/// <param name="Sharpe">Mean over standard deviation of the per-trade R (not annualised); null under two trades.</param>
/// <param name="MaxDrawdown">Largest fall of the cumulative P&amp;L from a peak, in currency per unit.</param>
/// <param name="Exposure">Share of the replayed time with an idea open (all symbols).</param>
/// <param name="ByStrategy">The same by strategy.</param>
/// <param name="ByRegime">The same by the regime named when the idea was proposed.</param>
public sealed record BacktestSummary(
    int Trades,
    double HitRate,
    double? MeanR,
    double Pnl,
    double PnlNatural,
    double? Sharpe,
    double MaxDrawdown,
    double Exposure,
    IReadOnlyList<BacktestGroup> ByStrategy,
    IReadOnlyList<BacktestGroup> ByRegime);

public sealed record BacktestGroup(string Group, int Trades, double HitRate, double? MeanR, double Pnl);

/// <summary>One idea of a backtest, from proposal to outcome.</summary>
/// <param name="Stop">The stop that applies: below spot for bullish ideas, above for bearish; null for neutral ones (both sides).</param>
/// <param name="Atr">ATR(14) when proposed: the baselines' risk unit is 1.5 ATR on 100 shares, the idea's planned stop distance.</param>
public sealed record BacktestIdea(
    string Symbol,
    DateTimeOffset OpenedAt,
    string Strategy,
    string? Regime,
    double Conviction,
    IReadOnlyList<IdeaLeg> Legs,
    IdeaEntry Entry,
    double? Stop,
    double? StopBelow,
    double? StopAbove,
    IReadOnlyList<double> Targets,
    double? MaxLoss,
    double Atr,
    DateTimeOffset ClosedAt,
    string Outcome,
    double ExitSpot,
    double Pnl,
    double PnlNatural,
    double? R);

/// <param name="At">When an idea closed.</param>
/// <param name="Pnl">Cumulative P&amp;L per unit then.</param>
/// <param name="Drawdown">How far below the running peak (zero or positive).</param>
public sealed record EquityPoint(DateTimeOffset At, double Pnl, double Drawdown);

/// <summary>
/// Queue <paramref name="Request"/> as a Hangfire job (admins, from the hub). One backtest runs at a time: another one
/// queued or running (with progress in the last ten minutes) refuses this with <see cref="BacktestBusyException"/>.
/// </summary>
public sealed record StartBacktest(RunBacktest Request, string RequestedBy) : ICommand<BacktestRun>;

/// <summary>The most recent backtests started from the hub, newest first, without their reports.</summary>
public sealed record GetBacktests(int Count = 20) : IQuery<IReadOnlyList<BacktestRun>>;

/// <summary>One backtest with its report once done; null when there is no such backtest.</summary>
public sealed record GetBacktest(Guid Id) : IQuery<BacktestRun?>;

/// <param name="Status"><c>queued</c>, <c>running</c>, <c>done</c> or <c>failed</c>.</param>
/// <param name="Snapshots">Snapshots analysed so far (all symbols).</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Report">The report, once done (not in lists).</param>
public sealed record BacktestRun(
    Guid Id,
    string RequestedBy,
    IReadOnlyList<string> Symbols,
    string Source,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int? EveryMinutes,
    string Status,
    int Snapshots,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    BacktestReport? Report);

/// <summary>A backtest is already queued or running.</summary>
public sealed class BacktestBusyException(string message) : HuiHui.Modules.Shared.Contracts.RefusedRequestException(message);

/// <summary>A hub backtest changed: queued, progressed (every two seconds while it runs), done or failed. For the host's pages.</summary>
public sealed record BacktestUpdated(Guid Id, string Status, int Snapshots) : INotification;

/// <summary>This process cannot queue backtests (no job storage: the CLI, a module host).</summary>
public sealed class BacktestUnavailableException(string message) : HuiHui.Modules.Shared.Contracts.RefusedRequestException(message);
