using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

// What the experts ask of a learned model. Experts owns these contracts; Learning (above Experts in the layers) answers
// them with its active checkpoints, so Experts never depends on Learning.

/// <summary>Score sentences with the active sentiment model; null when none is active (callers fall back to the lexicon).</summary>
public sealed record ScoreSentences(IReadOnlyList<string> Sentences) : IQuery<SentenceScores?>;

/// <param name="Model">The checkpoint that scored them (<c>model:ID8</c>).</param>
/// <param name="Scores">One per sentence, in order.</param>
public sealed record SentenceScores(string Model, IReadOnlyList<SentenceScore> Scores);

/// <param name="Label">positive, negative or neutral.</param>
/// <param name="Score">P(positive) − P(negative), −1 to +1.</param>
/// <param name="Confidence">Probability of the predicted label.</param>
public sealed record SentenceScore(string Label, double Score, double Confidence);

/// <summary>
/// The active meta gating model's probability that the price is higher after its horizon, for this analysis (its
/// features as the feature store writes them); null when no meta model is active.
/// </summary>
public sealed record PredictOutcome(Analysis Analysis) : IQuery<OutcomePrediction?>;

/// <param name="Model"><c>model:ID8</c>.</param>
/// <param name="ProbabilityUp">0–1.</param>
public sealed record OutcomePrediction(string Model, double ProbabilityUp);
