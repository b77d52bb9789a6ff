using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Ideas;
using HuiHui.Modules.Experts.Meta;
using HuiHui.Modules.Ingestion.Contracts;

namespace HuiHui.Modules.Experts.Backtest;

/// <summary>
/// A backtest's ideas for one symbol, in memory, followed by the same rules as the live tracker (<see cref="IdeaLife"/>):
/// proposed, marked on every later snapshot, closed at stop, target, expiry or a different proposal; whatever is still open
/// after the last snapshot is closed there with the outcome <c>end</c>. Also records the time replayed, for the exposure.
/// </summary>
internal sealed class IdeaBook(string symbol)
{
    private readonly List<(OpenIdea Open, string? Regime)> open = [];
    private ChainSnapshot? last;

    public string Symbol { get; } = symbol;

    public List<BacktestIdea> Closed { get; } = [];

    public DateTimeOffset? First { get; private set; }

    public DateTimeOffset? Last => last?.AsOf;

    public int Snapshots { get; private set; }

    public void Step(ChainSnapshot snapshot, TradeIdea? proposed, string? regime)
    {
        First ??= snapshot.AsOf;
        last = snapshot;
        Snapshots++;
        var (marks, opens) = IdeaLife.Step(open.ConvertAll(o => o.Open), snapshot, proposed);
        for (var i = open.Count - 1; i >= 0; i--)
        {
            if (marks[i] is { Outcome: { } outcome } mark)
            {
                Closed.Add(Close(open[i].Open, open[i].Regime, snapshot, outcome, mark));
                open.RemoveAt(i);
            }
        }

        if (opens)
        {
            open.Add((new OpenIdea(proposed!, snapshot.AsOf), regime));
        }
    }

    /// <summary>Closes what is still open at the last snapshot (outcome <c>end</c>, or marked flat when opened on it).</summary>
    public void End()
    {
        foreach (var (idea, regime) in open)
        {
            var (pnl, natural) = last!.AsOf > idea.OpenedAt ? IdeaLife.Mark(idea.Idea, last) : (0, 0);
            var r = idea.Idea.MaxLoss is > 0 ? Math.Round(pnl / idea.Idea.MaxLoss.Value, 4) : (double?)null;
            Closed.Add(Close(idea, regime, last, "end", new IdeaMark(pnl, natural, r, "end")));
        }

        open.Clear();
    }

    private BacktestIdea Close(OpenIdea open, string? regime, ChainSnapshot at, string outcome, IdeaMark mark)
    {
        var idea = open.Idea;
        var stop = TradeIdeas.DirectionOf(idea.Strategy) switch
        {
            > 0 => idea.StopBelow,
            < 0 => idea.StopAbove,
            _ => null,
        };
        return new BacktestIdea(Symbol, open.OpenedAt, idea.Strategy, regime, idea.Conviction, idea.Legs, idea.Entry, stop, idea.StopBelow, idea.StopAbove,
            idea.Targets, idea.MaxLoss, idea.Atr, at.AsOf, outcome, at.Spot, mark.Pnl, mark.PnlNatural, mark.R);
    }
}
