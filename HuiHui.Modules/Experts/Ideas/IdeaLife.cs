using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Meta;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Modules.Experts.Ideas;

/// <summary>An idea still open: what was proposed and when.</summary>
internal readonly record struct OpenIdea(TradeIdea Idea, DateTimeOffset OpenedAt);

/// <summary>
/// One open idea after a snapshot: its P&amp;L per unit at the mid and at the natural side, in R (multiples of the planned
/// risk, the package's maximum loss), and why it closed (<c>stop</c>, <c>target</c>, <c>expiry</c>, <c>opposite</c>) or
/// null while it stays open. Null as a whole when the snapshot is not after the idea's own.
/// </summary>
internal sealed record IdeaMark(double Pnl, double PnlNatural, double? R, string? Outcome);

/// <summary>
/// The rules of an idea's life, shared by the live tracker and the backtest so both follow ideas exactly alike: each open
/// idea is marked to market from its legs' quotes (mid, and the natural side: bought legs sold at the bid, sold legs bought
/// back at the ask; a leg with no quote at its intrinsic value) and closed at its stop, its first target, its expiry, or when
/// an idea pointing the other way is proposed (<c>opposite</c>). Another strategy the same way (or a neutral one) does not
/// close it: the first idea is held to its own stop and targets. A proposal opens a new idea only when none stays open
/// (one idea per symbol; strikes drifting with spot do not make a new idea).
/// </summary>
internal static class IdeaLife
{
    /// <summary>The marks of <paramref name="open"/> (in order) at <paramref name="snapshot"/>, and whether <paramref name="proposed"/> opens a new idea.</summary>
    public static (IdeaMark?[] Marks, bool OpensProposed) Step(IReadOnlyList<OpenIdea> open, ChainSnapshot snapshot, TradeIdea? proposed)
    {
        var marks = new IdeaMark?[open.Count];
        var keep = false;
        for (var i = 0; i < open.Count; i++)
        {
            var idea = open[i].Idea;
            if (snapshot.AsOf <= open[i].OpenedAt)
            {
                keep |= proposed is not null && proposed.Strategy == idea.Strategy;
                continue; // nothing after the idea's own snapshot yet
            }

            var (pnl, natural) = Mark(idea, snapshot);
            var outcome = Outcome(idea, snapshot);
            if (outcome is null && proposed is not null && TradeIdeas.DirectionOf(proposed.Strategy) * TradeIdeas.DirectionOf(idea.Strategy) < 0)
            {
                outcome = "opposite";
            }

            keep |= outcome is null && proposed is not null;
            marks[i] = new IdeaMark(pnl, natural, idea.MaxLoss is > 0 ? Math.Round(pnl / idea.MaxLoss.Value, 4) : null, outcome);
        }

        return (marks, proposed is not null && !keep);
    }

    /// <summary>P&amp;L per unit since the idea was proposed, at the mid and at the natural side.</summary>
    public static (double Mid, double Natural) Mark(TradeIdea idea, ChainSnapshot snapshot)
    {
        double mid = 0, natural = 0;
        foreach (var leg in idea.Legs)
        {
            var sign = leg.Side == LegSide.Buy ? 1 : -1;
            var quote = snapshot.Contracts.FirstOrDefault(c => c.OccSymbol == leg.OccSymbol);
            var intrinsic = Math.Max(0, leg.Right == OptionRight.Call ? snapshot.Spot - leg.Strike : leg.Strike - snapshot.Spot);
            var legMid = quote?.Mid ?? intrinsic;
            var exit = leg.Side == LegSide.Buy ? quote?.Bid ?? intrinsic : quote?.Ask ?? intrinsic;
            mid += sign * leg.Quantity * legMid;
            natural += sign * leg.Quantity * exit;
        }

        return (Math.Round((mid - idea.Entry.Mid) * TradeIdeas.Multiplier, 2), Math.Round((natural - idea.Entry.Natural) * TradeIdeas.Multiplier, 2));
    }

    /// <summary>Expiry first, then the stop, then the first target on either side of the entry spot; null while none is hit.</summary>
    public static string? Outcome(TradeIdea idea, ChainSnapshot snapshot)
    {
        var spot = snapshot.Spot;
        if (snapshot.AsOf >= idea.ExpiresAt)
        {
            return "expiry";
        }

        if ((idea.StopBelow is { } below && spot <= below) || (idea.StopAbove is { } above && spot >= above))
        {
            return "stop";
        }

        var up = idea.Targets.Where(t => t > idea.Entry.Spot).DefaultIfEmpty(double.NaN).Min();
        var down = idea.Targets.Where(t => t < idea.Entry.Spot).DefaultIfEmpty(double.NaN).Max();
        return (!double.IsNaN(up) && spot >= up) || (!double.IsNaN(down) && spot <= down) ? "target" : null;
    }
}
