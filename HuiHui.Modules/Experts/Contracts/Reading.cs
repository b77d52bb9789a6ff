using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>The latest analysis of <paramref name="Symbol"/> from the cache (stale ones included, flagged), or null when there is none.</summary>
public sealed record GetLatestAnalysis(string Symbol) : IQuery<LatestAnalysis?>;

/// <param name="Analysis">The analysis.</param>
/// <param name="IsStale">Past the expert-response tier's time to live (the feed or the orchestrator is behind).</param>
/// <param name="UpdatedAt">When it was computed (wall clock; <see cref="Analysis.AsOf"/> is the market's time).</param>
public sealed record LatestAnalysis(Analysis Analysis, bool IsStale, DateTimeOffset UpdatedAt);

/// <summary>
/// Stored expert responses, newest first (by snapshot time, then id), filtered by symbol, expert (<see cref="ExpertIds"/>)
/// and time range (<paramref name="From"/> inclusive, <paramref name="To"/> exclusive), one page at a time by keyset:
/// without <paramref name="Cursor"/> the newest page; with it, the page just older than the cursor, or just newer when
/// <paramref name="Newer"/>. Nothing is counted over the range. <paramref name="IncludeDetails"/> adds each full response
/// (for exports; the page shows the stored one-line call).
/// </summary>
public sealed record GetExpertHistory(
    string? Symbol,
    string? Expert,
    DateTimeOffset From,
    DateTimeOffset To,
    HistoryCursor? Cursor = null,
    bool Newer = false,
    int PageSize = 50,
    bool IncludeDetails = false) : IQuery<ExpertHistoryPage>;

/// <summary>A position in the history: the snapshot time and id of a row. <see cref="ToString"/> gives its URL form.</summary>
public sealed record HistoryCursor(DateTimeOffset AsOf, Guid Id)
{
    /// <summary>Reads <c>MICROSECONDS_ID</c> (the form <see cref="ToString"/> writes); false for anything else.</summary>
    public static bool TryParse(string? text, out HistoryCursor? cursor)
    {
        cursor = null;
        var parts = text?.Split('_') ?? [];
        if (parts.Length != 2 || !long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var micros)
            || micros > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() * 1000 || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }

        cursor = new HistoryCursor(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), id);
        return true;
    }

    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(AsOf.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10}_{Id:N}");
}

/// <param name="Rows">This page, newest first.</param>
/// <param name="Older">Where the next older page starts; null when there is nothing older in the range.</param>
/// <param name="Newer">Where the next newer page starts; null on the newest page.</param>
public sealed record ExpertHistoryPage(IReadOnlyList<ExpertHistoryRow> Rows, HistoryCursor? Older, HistoryCursor? Newer);

/// <param name="Id">The response's id.</param>
/// <param name="CycleId">The analysis cycle the response belongs to.</param>
/// <param name="Expert">Which expert answered.</param>
/// <param name="Symbol">The underlying.</param>
/// <param name="AsOf">The snapshot's time.</param>
/// <param name="Confidence">0–1 (conviction for the meta).</param>
/// <param name="Call">The answer in a few words: the regime, the bias and score, or the strategy.</param>
/// <param name="Details">The full typed response as stored (JSON), when asked for.</param>
public sealed record ExpertHistoryRow(Guid Id, Guid CycleId, string Expert, string Symbol, DateTimeOffset AsOf, double Confidence, string Call, string? Details);

/// <summary>
/// Per-hour rollups of <paramref name="Symbol"/>'s analyses from <paramref name="From"/> to <paramref name="To"/> (snapshot
/// time, UTC hours), oldest first, read from <c>moe_analysis.analysis_hourly</c> (written each minute as hours fill; charts
/// over weeks never scan the responses).
/// </summary>
public sealed record GetAnalysisRollups(string Symbol, DateTimeOffset From, DateTimeOffset To) : IQuery<IReadOnlyList<AnalysisHour>>;

/// <param name="Hour">Start of the hour (UTC).</param>
/// <param name="Cycles">Analyses (meta answers) in the hour.</param>
/// <param name="BullishShare">Share of the cycles with a bullish call (likewise bearish; the rest neutral).</param>
/// <param name="MeanConviction">Mean meta conviction, 0–1.</param>
/// <param name="RegimeShare">Share of the regime answers per regime (by name when the rules named it).</param>
/// <param name="MeanGex">Mean total GEX (dollars per 1 % move), when the regime expert answered.</param>
/// <param name="MeanFlipDistance">Mean distance from spot to the zero-gamma level (fraction of spot).</param>
public sealed record AnalysisHour(DateTimeOffset Hour, long Cycles, double BullishShare, double BearishShare, double MeanConviction, IReadOnlyDictionary<string, double> RegimeShare, double? MeanGex, double? MeanFlipDistance);

/// <summary>Recompute the stored analysis rollups for the hours from <paramref name="From"/> to <paramref name="To"/> (both hours included) from the stored responses.</summary>
public sealed record RollUpAnalysisHours(DateTimeOffset From, DateTimeOffset To) : ICommand<int>;

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
