using Mediator;

namespace HuiHui.Modules.Learning.Contracts;

/// <summary>
/// Train the sentiment classifier (ML.NET, 3 classes) from a <c>label,text</c> CSV (labels positive, negative,
/// neutral): stratified 5-fold cross-validation for the metrics, then a final fit on every row. The checkpoint becomes
/// active only if its cross-validated macro-F1 beats the active one's; otherwise it is kept as rejected with the reason.
/// </summary>
public sealed record TrainSentimentModel(string LabelsPath, int Folds = 5) : ICommand<TrainingReport>;

/// <param name="CheckpointId">The new checkpoint.</param>
/// <param name="Kind">See <see cref="ModelKinds"/>.</param>
/// <param name="Promoted">It is now the active model.</param>
/// <param name="Reason">Why it was or was not promoted.</param>
/// <param name="Metrics">Its validation metrics.</param>
/// <param name="Previous">The active model's metrics it was compared with (null when there was none).</param>
/// <param name="Baselines">What it was measured against on the same validation (e.g. the lexicon scorer, single experts).</param>
public sealed record TrainingReport(Guid CheckpointId, string Kind, bool Promoted, string Reason, ModelMetrics Metrics, ModelMetrics? Previous, IReadOnlyDictionary<string, ModelMetrics> Baselines);

/// <param name="Accuracy">Share of validation examples classified right.</param>
/// <param name="MacroF1">Mean over classes of F1 (each class counts the same, whatever its size).</param>
/// <param name="LogLoss">Mean negative log-likelihood of the true class (nats); lower is better; null for scorers without probabilities.</param>
/// <param name="Brier">Mean squared error of the predicted probabilities (multi-class Brier, 0–2); lower is better.</param>
/// <param name="Examples">Examples validated.</param>
/// <param name="Validation">How: e.g. <c>stratified 5-fold</c> or <c>time-ordered 80/20</c>.</param>
public sealed record ModelMetrics(double Accuracy, double MacroF1, double? LogLoss, double? Brier, int Examples, string Validation);


/// <summary>Checkpoints, newest first (all kinds when <paramref name="Kind"/> is null).</summary>
public sealed record GetCheckpoints(string? Kind = null, int Count = 50) : IQuery<IReadOnlyList<CheckpointInfo>>;

public sealed record CheckpointInfo(Guid Id, string Kind, CheckpointStatus Status, ModelMetrics? Metrics, int FeatureSchemaVersion, string? Reason, DateTimeOffset CreatedAt, DateTimeOffset? PromotedAt, int SizeBytes);

/// <summary>
/// Make <paramref name="CheckpointId"/> the active model of its kind (an admin's promotion or roll-back). It is loaded
/// first: a corrupt or incompatible checkpoint is refused and the active one stays.
/// </summary>
public sealed record ActivateCheckpoint(Guid CheckpointId) : ICommand<CheckpointInfo>;

/// <summary>A checkpoint became the active model of its kind (experts reload it).</summary>
public sealed record CheckpointActivated(Guid CheckpointId, string Kind) : INotification;

/// <summary>The training data or the checkpoint cannot be used; the message says why.</summary>
public sealed class ModelRefusedException(string message) : HuiHui.Modules.Shared.Contracts.RefusedRequestException(message);

/// <summary>
/// Train the Meta-Orchestrator's gating model from the labelled examples of <paramref name="Horizon"/> (direction up
/// vs down; flat ones left out): time-ordered split, the later <paramref name="ValidationShare"/> held out. Promoted only
/// if its validation log-loss beats the active model's. Baselines: a constant, each expert alone, the rule-based meta.
/// </summary>
public sealed record TrainMetaModel(TimeSpan Horizon, double ValidationShare = 0.2) : ICommand<TrainingReport>;

