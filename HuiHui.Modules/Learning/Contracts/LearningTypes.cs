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
