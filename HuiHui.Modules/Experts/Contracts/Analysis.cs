using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

public enum Bias
{
    Bearish = -1,
    Neutral = 0,
    Bullish = 1,
}

/// <summary>The Market Regime expert's labels.</summary>
public enum RegimeLabel
{
    LowVolUptrend,
    HighVolDowntrend,
    RangeBound,
    VolatilityExpansion,
}

public enum DealerGamma
{
    Positive,
    Negative,
}

/// <summary>What the regime expert looked at.</summary>
public sealed record RegimeEvidence(double? AtmIv, double? TermSlope, double? RiskReversal25, double? IntradayReturn, double? IntradayRealizedVol, double GexTotal, double? ZeroGammaDistance);

/// <param name="Regime">The regime.</param>
/// <param name="DealerGamma">Sign of total GEX: positive gamma dampens moves, negative amplifies them.</param>
/// <param name="Confidence">0–1.</param>
/// <param name="TransitionWarning">Signs the regime may be changing (gamma flip near spot, front-end IV stress).</param>
/// <param name="RiskNotes">Plain-language risks.</param>
/// <param name="Evidence">The inputs.</param>
/// <param name="Name">The regime as the configured rules name it (<c>HuiHui:Regimes:Rules</c>, EOTS's eleven by default): the highest-priority rule whose conditions all hold, else the default name.</param>
/// <param name="RuleEvidence">The conditions of that rule that held, with the values read (empty for the default).</param>
public sealed record RegimeResponse(RegimeLabel Regime, DealerGamma DealerGamma, double Confidence, bool TransitionWarning, IReadOnlyList<string> RiskNotes, RegimeEvidence Evidence, string? Name = null, IReadOnlyList<string>? RuleEvidence = null);

/// <summary>Institutional footprints in the prints.</summary>
public sealed record InstitutionalActivity(int Blocks, int Sweeps, int UnusualContracts, IReadOnlyList<BlockTrade> LargestBlocks);

/// <param name="Bias">Direction of the flow.</param>
/// <param name="Score">−1 (bearish) to +1 (bullish).</param>
/// <param name="Confidence">0–1.</param>
/// <param name="Institutional">Blocks, sweeps, unusual volume.</param>
/// <param name="DealerGamma">Dealer positioning from GEX.</param>
/// <param name="Levels">Zero gamma, walls, max pain.</param>
/// <param name="Evidence">The flow metrics used.</param>
public sealed record FlowResponse(Bias Bias, double Score, double Confidence, InstitutionalActivity Institutional, DealerGamma DealerGamma, KeyLevels Levels, FlowMetrics Evidence);

/// <summary>One headline as the sentiment expert scored it: label positive/negative/neutral, score −1 to +1.</summary>
public sealed record ScoredHeadline(string Id, string Headline, string Source, DateTimeOffset PublishedAt, string Label, double Score);

/// <param name="Bias">Direction of the news.</param>
/// <param name="Score">Recency-weighted mean headline score, −1 to +1.</param>
/// <param name="Confidence">0–1 (more and more recent headlines, more agreement → higher).</param>
/// <param name="Momentum">Score of the last hour minus the score before it.</param>
/// <param name="Headlines">Headlines scored (at most 10, newest first).</param>
/// <param name="Scorer">Which model scored them (<c>lexicon</c> or a trained checkpoint).</param>
public sealed record SentimentResponse(Bias Bias, double Score, double Confidence, double Momentum, IReadOnlyList<ScoredHeadline> Headlines, string Scorer);

/// <summary>How much each expert counted.</summary>
public sealed record GatingWeights(double Regime, double Flow, double Sentiment, string Source);

/// <param name="Bias">The combined direction.</param>
/// <param name="Conviction">0–1.</param>
/// <param name="Strategy">Recommended structure, e.g. <c>put credit spread</c>.</param>
/// <param name="Rationale">Why, tied to regime, volatility and levels.</param>
/// <param name="Levels">Key levels to trade against.</param>
/// <param name="RiskNotes">Risks, including missing experts.</param>
/// <param name="Narrative">A paragraph for people.</param>
/// <param name="MissingExperts">Experts that failed or ran out of time this cycle.</param>
/// <param name="Weights">The gating weights used.</param>
/// <param name="NarrativeBy"><c>template</c>, or <c>llm:MODEL</c> when the optional model wrote it.</param>
/// <param name="Citations">Passages from the education corpus about the regime and the strategy.</param>
/// <param name="Outlook">The trained gating model's view when one is active (shown beside the rules; never fed back into the features).</param>
/// <param name="Idea">The complete trade idea (legs from the chain quoted, entry, stop, targets, risk), or null when there is none.</param>
/// <param name="NoIdea">Why there is no idea (conviction under the floor, a chain without the strikes needed), when there is none.</param>
public sealed record MetaResponse(Bias Bias, double Conviction, string Strategy, string Rationale, KeyLevels Levels, IReadOnlyList<string> RiskNotes, string Narrative, IReadOnlyList<string> MissingExperts, GatingWeights Weights, string NarrativeBy = "template", IReadOnlyList<Citation>? Citations = null, ModelOutlook? Outlook = null, TradeIdea? Idea = null, string? NoIdea = null);

/// <summary>
/// What the trained meta gating model (Learning) expects: P(price higher after its horizon) and the direction it implies
/// (bullish above 0.52, bearish below 0.48, neutral between).
/// </summary>
public sealed record ModelOutlook(string Model, double ProbabilityUp, Bias Bias)
{
    public static ModelOutlook From(string model, double probabilityUp) =>
        new(model, probabilityUp, probabilityUp > 0.52 ? Bias.Bullish : probabilityUp < 0.48 ? Bias.Bearish : Bias.Neutral);
}

/// <summary>
/// A passage of the education corpus the narrative points to: the document's title and file name, where in it, and the
/// passage's id (the hub opens it at <c>/Education/Document?chunk=ID</c>). Never a path on the server.
/// </summary>
public sealed record Citation(string Title, string Location, Guid ChunkId, string Document, string Excerpt);

/// <summary>
/// Milliseconds per stage of one analysis. <paramref name="Total"/> is the analysis itself (snapshot read through meta);
/// <paramref name="Queued"/> is how long an ingested snapshot waited for a worker before it (not in the total).
/// </summary>
public sealed record StageTimings(double Snapshot, double Metrics, double Experts, double Meta, double Total, double Queued = 0);

/// <summary>One full analysis of a symbol: metrics, the three experts (null when one failed), the meta and the Market Compass.</summary>
public sealed record Analysis(
    Guid CycleId,
    string Symbol,
    DateTimeOffset AsOf,
    double Spot,
    string Source,
    MetricsBundle Metrics,
    RegimeResponse? Regime,
    FlowResponse? Flow,
    SentimentResponse? Sentiment,
    MetaResponse Meta,
    StageTimings TimingsMs,
    MarketCompass? Compass = null);

/// <summary>
/// Analyse <paramref name="Symbol"/> now: the cached snapshot, or a fresh fetch (from <paramref name="Source"/> when
/// given). Cached (expert-response tier), persisted, and announced with <see cref="AnalysisCompleted"/>.
/// </summary>
/// <param name="Slice">The part of the chain to compute on; null for the configured default. Another slice is not stored.</param>
public sealed record AnalyzeSymbol(string Symbol, string? Source = null, ChainSlice? Slice = null) : ICommand<Analysis>;

/// <summary>
/// One analysis per snapshot of <paramref name="Source"/> (<c>file:PATH</c>, <c>archive</c> or <c>simulated</c>) in time order, through the
/// same pipeline as live: flow derived from the snapshots before, metrics, the three experts and the meta. Nothing is cached,
/// persisted or pushed, and nothing at a snapshot's time sees data after it. See <c>ReplaySnapshots</c> (Ingestion).
/// </summary>
public sealed record ReplayAnalyses(string Symbol, string Source, DateTimeOffset? From = null, DateTimeOffset? To = null, TimeSpan? Every = null) : IStreamQuery<Analysis>;

/// <summary>A new analysis of <paramref name="Symbol"/> is in the cache (<see cref="ExpertKeys.Analysis"/>); it travels with the notification.</summary>
public sealed record AnalysisCompleted(Guid CycleId, string Symbol, DateTimeOffset AsOf, Bias Bias, double Conviction, Analysis Analysis) : INotification;

/// <summary>Nothing to analyse: the symbol has no usable snapshot (unknown symbol, empty chain, unreadable source).</summary>
public sealed class AnalysisUnavailableException(string message) : HuiHui.Modules.Shared.Contracts.RefusedRequestException(message);
