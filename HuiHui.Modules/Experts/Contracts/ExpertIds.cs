namespace HuiHui.Modules.Experts.Contracts;

/// <summary>The four experts of the mixture; the value is the <c>expert_id</c> stored with each response.</summary>
public static class ExpertIds
{
    public const string Regime = "regime";
    public const string Flow = "flow";
    public const string Sentiment = "sentiment";
    public const string Meta = "meta";

    public static IReadOnlyList<string> All { get; } = [Regime, Flow, Sentiment, Meta];
}
