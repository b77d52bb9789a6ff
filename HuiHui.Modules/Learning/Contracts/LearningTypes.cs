namespace HuiHui.Modules.Learning.Contracts;

/// <summary>What a model checkpoint is for; the value is stored in <c>model_checkpoints.kind</c>.</summary>
public static class ModelKinds
{
    public const string MetaGating = "meta-gating";
    public const string Sentiment = "sentiment";
}

/// <summary>Lifecycle of a checkpoint: only a candidate that beats the active one becomes active.</summary>
public enum CheckpointStatus
{
    Candidate,
    Active,
    Rejected,
    Retired,
}

/// <summary>
/// Fill an empty store for a new user: analyses of a few past days of the simulated market (every
/// <paramref name="Every"/>, through the live pipeline) become feature vectors, their minutes are archived, then outcome
/// labels, the expert scorecards and a first meta model follow. Refused unless the store holds no feature vector and no
/// checkpoint (it never mixes simulated history into real data). Progress: <see cref="GetFirstRunStatus"/>.
/// </summary>
public sealed record FillFirstRun(IReadOnlyList<string> Symbols, TimeSpan Every, TimeSpan Horizon) : Mediator.ICommand<FirstRunStatus>;

/// <summary>Where the first-run fill is (null state <c>none</c>: it has not run in this process).</summary>
public sealed record GetFirstRunStatus : Mediator.IQuery<FirstRunStatus>;

/// <param name="State"><c>none</c>, <c>replaying</c>, <c>labelling</c>, <c>training</c>, <c>done</c>, <c>skipped</c> or <c>failed</c>.</param>
/// <param name="Done">Analyses replayed so far.</param>
/// <param name="Total">Analyses to replay (symbols × steps).</param>
/// <param name="Message">What it is doing or did, in plain words.</param>
public sealed record FirstRunStatus(string State, int Done, int Total, string Message, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static readonly FirstRunStatus None = new("none", 0, 0, "", null, null);

    public bool Running => State is "replaying" or "labelling" or "training";
}
