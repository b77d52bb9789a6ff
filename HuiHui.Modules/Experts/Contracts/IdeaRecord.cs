using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>
/// The record of the trade ideas: open ones with their latest mark, closed ones with outcome, P&amp;L and R, and the
/// scorecards (hit rate and mean R by strategy, regime and conviction bucket) over the ideas closed in the range.
/// </summary>
public sealed record GetIdeaRecord(string? Symbol, DateTimeOffset From, DateTimeOffset To, int Recent = 50) : IQuery<IdeaRecord>;

public sealed record IdeaRecord(IReadOnlyList<StoredIdea> Open, IReadOnlyList<StoredIdea> Closed, IdeaScore Overall, IReadOnlyList<IdeaScore> ByStrategy, IReadOnlyList<IdeaScore> ByRegime, IReadOnlyList<IdeaScore> ByConviction);

/// <param name="Group">What the row groups (a strategy, a regime, a conviction bucket such as <c>0.4–0.6</c>, or <c>all</c>).</param>
/// <param name="Trades">Ideas closed.</param>
/// <param name="HitRate">Share closed with a positive P&amp;L at the mid.</param>
/// <param name="MeanR">Mean P&amp;L in multiples of the planned risk (ideas with a bounded risk).</param>
/// <param name="Pnl">Sum of P&amp;L per unit at the mid.</param>
/// <param name="PnlNatural">Sum at the natural side (the conservative figure).</param>
public sealed record IdeaScore(string Group, int Trades, double HitRate, double? MeanR, double Pnl, double PnlNatural);

/// <param name="Outcome"><c>stop</c>, <c>target</c>, <c>expiry</c>, <c>opposite</c> (an idea the other way) or <c>replaced</c> (another idea the same way); null while open.</param>
/// <param name="Pnl">Per unit at the mid: at the close, or the latest mark while open.</param>
/// <param name="PnlNatural">Per unit at the natural side.</param>
/// <param name="R">P&amp;L in multiples of the planned risk (the idea's max loss).</param>
public sealed record StoredIdea(Guid Id, string Symbol, DateTimeOffset OpenedAt, string? Regime, TradeIdea Idea, DateTimeOffset? MarkedAt, DateTimeOffset? ClosedAt, string? Outcome, double? ExitSpot, double? Pnl, double? PnlNatural, double? R);
