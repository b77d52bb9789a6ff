using HuiHui.Modules.Experts.Contracts;

namespace HuiHui.Modules.Experts.Ideas;

/// <summary>
/// Learning which conviction is worth trading per strategy and regime from the ideas' outcomes: for each pair with enough
/// closed ideas, the conviction floor (0.3 to 0.9 in steps of 0.1, or "never") that maximises the total R of the ideas kept;
/// a floor only when it does better than keeping them all. Validated on time-ordered data: learned on the older 70 %,
/// promoted only when the newer 30 % would have made more R through the gate than without it.
/// </summary>
internal static class IdeaGates
{
    /// <summary>Closed ideas a strategy and regime need before the gate may set a floor for them.</summary>
    public const int MinTrades = 10;

    /// <summary>Held-out ideas the validation needs before it may promote.</summary>
    public const int MinHeldOut = 20;

    public const double HeldOutShare = 0.3;

    /// <summary>The floors tried; above 1 is "not at any conviction".</summary>
    private static readonly double[] Floors = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01];

    public static IdeaGate Learn(IEnumerable<IdeaOutcome> ideas, int minTrades = MinTrades)
    {
        var floors = new List<IdeaFloor>();
        foreach (var pair in ideas.GroupBy(i => (i.Strategy, Regime: i.Regime ?? "unknown")).OrderBy(g => g.Key.Strategy, StringComparer.Ordinal).ThenBy(g => g.Key.Regime, StringComparer.Ordinal))
        {
            var list = pair.ToList();
            if (list.Count < minTrades)
            {
                continue;
            }

            var all = list.Sum(i => i.R);
            var (best, bestR) = (0.0, all);
            foreach (var floor in Floors)
            {
                var kept = list.Where(i => i.Conviction >= floor).Sum(i => i.R);
                if (kept > bestR + 1e-9)
                {
                    (best, bestR) = (floor, kept);
                }
            }

            if (best > 0)
            {
                var taken = list.Where(i => i.Conviction >= best).ToList();
                floors.Add(new IdeaFloor(pair.Key.Strategy, pair.Key.Regime, best, list.Count, Math.Round(all / list.Count, 4),
                    taken.Count == 0 ? null : Math.Round(taken.Average(i => i.R), 4)));
            }
        }

        return new IdeaGate(floors);
    }

    /// <param name="ideas">Closed ideas, oldest first.</param>
    public static IdeaGateReport Validate(IReadOnlyList<IdeaOutcome> ideas, DateTimeOffset trainedAt, int minTrades = MinTrades, int minHeldOut = MinHeldOut)
    {
        var split = (int)Math.Floor(ideas.Count * (1 - HeldOutShare));
        var gate = Learn(ideas.Take(split), minTrades);
        var heldOut = ideas.Skip(split).ToList();
        var taken = heldOut.Where(i => gate.Refusing(i.Strategy, i.Regime, i.Conviction) is null).ToList();
        var (all, gated) = (Math.Round(heldOut.Sum(i => i.R), 4), Math.Round(taken.Sum(i => i.R), 4));
        var (promote, reason) = (gate.Floors.Count, heldOut.Count) switch
        {
            (0, _) => (false, $"no strategy and regime with {minTrades} closed ideas has a conviction floor that pays"),
            (_, var n) when n < minHeldOut => (false, $"{n} newer ideas to judge it on; {minHeldOut} needed"),
            _ when gated > all => (true, $"on the {heldOut.Count} newer ideas it keeps {taken.Count} for {gated:+0.00;-0.00;0.00} R against {all:+0.00;-0.00;0.00} R for all"),
            _ => (false, $"on the {heldOut.Count} newer ideas it keeps {taken.Count} for {gated:+0.00;-0.00;0.00} R, no better than {all:+0.00;-0.00;0.00} R for all"),
        };
        return new IdeaGateReport(Guid.Empty, trainedAt, promote ? "active" : "candidate", gate, split, heldOut.Count, all, gated, taken.Count, promote, reason);
    }

    /// <summary>Why the gate turned an idea down, for the meta's <c>noIdea</c>.</summary>
    public static string Explain(IdeaFloor floor, double conviction) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"the record says no: {floor.Strategy} in '{floor.Regime}' has paid only at {(floor.MinConviction > 1 ? "no" : $"{floor.MinConviction:P0} or more")} conviction ({floor.Trades} closed, {floor.MeanRAll:+0.00;-0.00;0.00} R a trade); this one is at {conviction:P0}");
}
