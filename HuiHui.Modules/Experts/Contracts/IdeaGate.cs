using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>A closed idea as learning sees it: what was proposed, how sure, and what it made in R.</summary>
public sealed record IdeaOutcome(string Symbol, DateTimeOffset OpenedAt, string Strategy, string? Regime, double Conviction, double R);

/// <summary>
/// Below <paramref name="MinConviction"/>, ideas of <paramref name="Strategy"/> in <paramref name="Regime"/> have not paid:
/// over <paramref name="Trades"/> trades they made <paramref name="MeanRAll"/> R a trade, those at or above the floor
/// <paramref name="MeanRTaken"/>. A floor above 1 means the pair has not paid at any conviction.
/// </summary>
public sealed record IdeaFloor(string Strategy, string Regime, double MinConviction, int Trades, double MeanRAll, double? MeanRTaken);

/// <summary>
/// What the record says is worth trading: conviction floors per strategy and regime, learned from closed ideas
/// (docs/metrics.md, "Learning from outcomes"). A pair without a floor trades as the rules say.
/// </summary>
public sealed record IdeaGate(IReadOnlyList<IdeaFloor> Floors)
{
    /// <summary>The floor that refuses this idea, or null when the record lets it through.</summary>
    public IdeaFloor? Refusing(string strategy, string? regime, double conviction) =>
        Floors.FirstOrDefault(f => f.Strategy == strategy && f.Regime == (regime ?? "unknown") && conviction < f.MinConviction);
}

/// <summary>
/// Learn the idea gate from every closed live idea (oldest first), validate it on the newest 30 %, store it, and make it
/// the active gate when it does better there than the rules alone (Learning's nightly retraining sends this).
/// </summary>
public sealed record TrainIdeaGate : ICommand<IdeaGateReport>;

/// <summary>The trained gates, newest first (the Learning page shows the record).</summary>
public sealed record GetIdeaGates(int Count = 10) : IQuery<IReadOnlyList<IdeaGateReport>>;

/// <summary>A trained gate and its validation: learned on the older part of the closed ideas, judged on the newer one.</summary>
/// <param name="Id">The stored gate; empty for one learned inside a backtest.</param>
/// <param name="Status"><c>active</c>, <c>candidate</c> (not promoted) or <c>retired</c> (replaced by a newer active one).</param>
/// <param name="Gate">Learned on the training part.</param>
/// <param name="TrainTrades">Ideas it learned from.</param>
/// <param name="HeldOutTrades">Newer ideas it was judged on.</param>
/// <param name="HeldOutR">Their total R, every one taken (the rules alone).</param>
/// <param name="HeldOutGatedR">Their total R, only those the gate lets through.</param>
/// <param name="HeldOutTaken">How many the gate lets through.</param>
/// <param name="Promoted">Better on the held-out ideas, so promoted.</param>
/// <param name="Reason">Why, or why not, in words.</param>
public sealed record IdeaGateReport(Guid Id, DateTimeOffset TrainedAt, string Status, IdeaGate Gate, int TrainTrades, int HeldOutTrades, double HeldOutR, double HeldOutGatedR, int HeldOutTaken, bool Promoted, string Reason);
