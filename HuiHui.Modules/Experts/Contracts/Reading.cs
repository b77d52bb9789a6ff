using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>The latest analysis of <paramref name="Symbol"/> from the cache (stale ones included, flagged), or null when there is none.</summary>
public sealed record GetLatestAnalysis(string Symbol) : IQuery<LatestAnalysis?>;

/// <param name="Analysis">The analysis.</param>
/// <param name="IsStale">Past the expert-response tier's time to live (the feed or the orchestrator is behind).</param>
/// <param name="UpdatedAt">When it was computed (wall clock; <see cref="Analysis.AsOf"/> is the market's time).</param>
public sealed record LatestAnalysis(Analysis Analysis, bool IsStale, DateTimeOffset UpdatedAt);

/// <summary>
/// Stored expert responses, newest first, filtered by symbol, expert (<see cref="ExpertIds"/>) and time range
/// (<paramref name="From"/> inclusive, <paramref name="To"/> exclusive), one page at a time (pages from 1).
/// </summary>
public sealed record GetExpertHistory(string? Symbol, string? Expert, DateTimeOffset From, DateTimeOffset To, int Page = 1, int PageSize = 50) : IQuery<ExpertHistoryPage>;

/// <param name="Rows">This page.</param>
/// <param name="Total">Responses matching the filter.</param>
/// <param name="Page">The page number.</param>
/// <param name="PageSize">Rows per page.</param>
public sealed record ExpertHistoryPage(IReadOnlyList<ExpertHistoryRow> Rows, long Total, int Page, int PageSize)
{
    public int Pages => Total == 0 ? 1 : (int)((Total + PageSize - 1) / PageSize);
}

/// <param name="CycleId">The analysis cycle the response belongs to.</param>
/// <param name="Expert">Which expert answered.</param>
/// <param name="Symbol">The underlying.</param>
/// <param name="AsOf">The snapshot's time.</param>
/// <param name="Confidence">0–1 (conviction for the meta).</param>
/// <param name="Call">The answer in a few words: the regime, the bias and score, or the strategy.</param>
/// <param name="Details">The full typed response as stored (JSON).</param>
public sealed record ExpertHistoryRow(Guid CycleId, string Expert, string Symbol, DateTimeOffset AsOf, double Confidence, string Call, string Details);

/// <summary>
/// The implied-volatility smile of the latest cached snapshot of <paramref name="Symbol"/> for its nearest
/// <paramref name="Expiries"/> expiries (at least two days out when there are such): out-of-the-money puts below spot,
/// calls at and above it; the provider's IV, else solved from the mid. Null when no snapshot is cached.
/// </summary>
public sealed record GetVolatilitySmile(string Symbol, int Expiries = 3) : IQuery<VolatilitySmile?>;

public sealed record VolatilitySmile(string Symbol, DateTimeOffset AsOf, double Spot, IReadOnlyList<SmileCurve> Curves);

/// <summary>One expiry's smile, ascending by strike; IV as a decimal.</summary>
public sealed record SmileCurve(DateOnly Expiry, IReadOnlyList<SmilePoint> Points);

public sealed record SmilePoint(double Strike, double Iv);

/// <summary>
/// Score texts (headlines, sentences) for sentiment as the sentiment expert would: the active trained model when there
/// is one, else the built-in lexicon (always the lexicon with <paramref name="LexiconOnly"/>).
/// </summary>
public sealed record ScoreText(IReadOnlyList<string> Texts, bool LexiconOnly = false) : IQuery<TextScores>;

/// <param name="Scorer"><c>lexicon</c> or <c>model:ID8</c>.</param>
/// <param name="Scores">One per text, in order.</param>
public sealed record TextScores(string Scorer, IReadOnlyList<TextScore> Scores);

/// <param name="Label">positive, negative or neutral.</param>
/// <param name="Score">−1 (negative) to +1 (positive).</param>
public sealed record TextScore(string Label, double Score);
