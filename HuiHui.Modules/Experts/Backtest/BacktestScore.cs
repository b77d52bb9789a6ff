using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Meta;

namespace HuiHui.Modules.Experts.Backtest;

/// <summary>The figures of a backtest (docs/metrics.md, "Backtest"): the ideas' record and the baselines' on the same holding times.</summary>
internal static class BacktestScore
{
    /// <summary>Shares in the underlying baselines: one contract's worth, as an idea's unit.</summary>
    private const double Shares = TradeIdeas.Multiplier;

    /// <summary>An idea's planned stop distance in ATR: the baselines risk this much per share.</summary>
    private const double StopAtr = 1.5;

    /// <param name="ideas">Closed ideas, any order.</param>
    /// <param name="replayed">Time replayed, summed over the symbols (the exposure's denominator).</param>
    public static BacktestSummary Summarise(IReadOnlyList<BacktestIdea> ideas, TimeSpan replayed)
    {
        var held = ideas.Aggregate(TimeSpan.Zero, (sum, i) => sum + (i.ClosedAt - i.OpenedAt));
        var all = Figures(ideas);
        return new BacktestSummary(all.Trades, all.HitRate, all.MeanR, all.Pnl, Math.Round(ideas.Sum(i => i.PnlNatural), 2), Sharpe(ideas), MaxDrawdown(ideas),
            replayed > TimeSpan.Zero ? Math.Round(Math.Min(1, held / replayed), 4) : 0,
            Groups(ideas, i => i.Strategy), Groups(ideas, i => i.Regime ?? "unknown"));
    }

    /// <summary>Cumulative P&amp;L at each close (ties by symbol), with the drawdown from the running peak.</summary>
    public static List<EquityPoint> Equity(IReadOnlyList<BacktestIdea> ideas)
    {
        var points = new List<EquityPoint>(ideas.Count);
        double total = 0, peak = 0;
        foreach (var idea in InClosingOrder(ideas))
        {
            total += idea.Pnl;
            peak = Math.Max(peak, total);
            points.Add(new EquityPoint(idea.ClosedAt, Math.Round(total, 2), Math.Round(peak - total, 2)));
        }

        return points;
    }

    /// <summary>Largest fall of the cumulative P&amp;L from a running peak (which starts at zero).</summary>
    public static double MaxDrawdown(IReadOnlyList<BacktestIdea> ideas) => Equity(ideas).Select(p => p.Drawdown).DefaultIfEmpty(0).Max();

    /// <summary>Mean over sample standard deviation of the per-trade R; null under two trades with R or when they do not vary.</summary>
    public static double? Sharpe(IReadOnlyList<BacktestIdea> ideas)
    {
        var r = ideas.Where(i => i.R is not null).Select(i => i.R!.Value).ToList();
        if (r.Count < 2)
        {
            return null;
        }

        var mean = r.Average();
        var sd = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / (r.Count - 1));
        return sd > 0 ? Math.Round(mean / sd, 4) : null;
    }

    /// <summary>
    /// 100 shares long over each idea's holding time (entry spot to exit spot); R against the idea's planned risk,
    /// 1.5 ATR on 100 shares.
    /// </summary>
    public static List<BacktestIdea> AlwaysLong(IReadOnlyList<BacktestIdea> ideas) => ideas.Select(i => Underlying(i, 1)).ToList();

    /// <summary>
    /// 100 shares long or short, at random, over each idea's holding time. The side is drawn from the symbol and the
    /// opening time (SplitMix64), so a backtest gives the same baseline however often it runs.
    /// </summary>
    public static List<BacktestIdea> Random(IReadOnlyList<BacktestIdea> ideas) =>
        ideas.Select(i => Underlying(i, (Mix((ulong)i.OpenedAt.UtcTicks ^ Fnv(i.Symbol)) & 1) == 0 ? 1 : -1)).ToList();

    private static BacktestIdea Underlying(BacktestIdea idea, int side)
    {
        var pnl = Math.Round(side * (idea.ExitSpot - idea.Entry.Spot) * Shares, 2);
        var risk = StopAtr * idea.Atr * Shares;
        return idea with
        {
            Strategy = side > 0 ? $"long underlying ({idea.Strategy})" : $"short underlying ({idea.Strategy})",
            Pnl = pnl,
            PnlNatural = pnl,
            R = risk > 0 ? Math.Round(pnl / risk, 4) : null,
        };
    }

    private static List<BacktestGroup> Groups(IReadOnlyList<BacktestIdea> ideas, Func<BacktestIdea, string> key) =>
        [.. ideas.GroupBy(key).Select(g => Figures(g.ToList()) with { Group = g.Key }).OrderBy(g => g.Group, StringComparer.Ordinal)];

    private static BacktestGroup Figures(IReadOnlyList<BacktestIdea> ideas)
    {
        var r = ideas.Where(i => i.R is not null).Select(i => i.R!.Value).ToList();
        return new BacktestGroup("all", ideas.Count, ideas.Count == 0 ? 0 : Math.Round((double)ideas.Count(i => i.Pnl > 0) / ideas.Count, 4),
            r.Count == 0 ? null : Math.Round(r.Average(), 4), Math.Round(ideas.Sum(i => i.Pnl), 2));
    }

    private static IEnumerable<BacktestIdea> InClosingOrder(IReadOnlyList<BacktestIdea> ideas) =>
        ideas.OrderBy(i => i.ClosedAt).ThenBy(i => i.Symbol, StringComparer.Ordinal).ThenBy(i => i.OpenedAt);

    private static ulong Fnv(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
