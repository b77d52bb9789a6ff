using System.Globalization;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Pricing;

namespace HuiHui.Modules.Experts.Meta;

/// <summary>
/// Turns the meta's strategy into a complete idea on the chain actually quoted: an expiry inside the target days to expiry,
/// strikes by target delta among two-sided quotes, the package's mid and natural cost, the stop at spot ∓ 1.5 × ATR(14) and
/// targets at 1 and 2 × ATR, each pulled to a ranked key level within 0.5 × ATR, risk per unit, and when the idea lapses.
/// The rules are in docs/metrics.md ("Trade ideas"); nothing here looks past the snapshot (the bars end the day before it).
/// </summary>
internal static class TradeIdeas
{
    public const int Multiplier = 100;

    private const double StopAtr = 1.5;
    private const double SnapAtr = 0.5;

    /// <summary>One leg to find: right, side, wanted |delta|, and whether it sits in the back expiry (calendars).</summary>
    private sealed record LegPlan(OptionRight Right, LegSide Side, double Delta, bool Back = false);

    private sealed record Plan(IdeaHorizon Horizon, IdeaHorizon? Back, IReadOnlyList<LegPlan> Legs, int Direction, bool AtTheMoneyPair);

    public static (TradeIdea? Idea, string? NoIdea) Build(ChainSnapshot snapshot, MetricsBundle metrics, IReadOnlyList<Bar> dailyBars, MetaResponse meta, RegimeResponse? regime, double minConviction, double rate, double dividend)
    {
        var c = CultureInfo.InvariantCulture;
        if (meta.Conviction < minConviction)
        {
            return (null, string.Create(c, $"Conviction {meta.Conviction:P0} is under the {minConviction:P0} floor: no trade."));
        }

        if (PlanFor(meta.Strategy, meta.Conviction, regime) is not { } plan)
        {
            return (null, $"No trade parameters are defined for a {meta.Strategy}.");
        }

        var spot = metrics.Spot;
        var (atr, atrSource) = Atr(dailyBars, spot, metrics.Volatility.AtmIv);
        if (atr is not > 0)
        {
            return (null, "Neither 15 daily bars nor an at-the-money implied volatility are known: no ATR for the stop and targets.");
        }

        var quoted = snapshot.Contracts.Where(q => q.Bid is > 0 && q.Ask is { } ask && ask >= q.Bid && ExpiryClock.DaysTo(snapshot.AsOf, q.Expiry) >= 1).ToList();
        var front = ChooseExpiry(quoted, snapshot.AsOf, plan.Horizon);
        var back = plan.Back is { } b ? ChooseExpiry(quoted.Where(q => front is null || q.Expiry > front).ToList(), snapshot.AsOf, b) : null;
        if (front is null || (plan.Back is not null && back is null))
        {
            return (null, string.Create(c, $"The chain quotes no expiry {plan.Horizon.MinDays}–{plan.Horizon.MaxDays} days out (or later) with two-sided quotes: no {meta.Strategy}."));
        }

        var legs = new List<IdeaLeg>();
        double? pairStrike = plan.AtTheMoneyPair ? AtTheMoneyStrike(quoted, front.Value, back, spot) : null;
        if (plan.AtTheMoneyPair && pairStrike is null)
        {
            return (null, $"No strike near {spot.ToString("0.##", c)} is quoted on both sides needed for a {meta.Strategy}.");
        }

        foreach (var leg in plan.Legs)
        {
            var expiry = leg.Back ? back!.Value : front.Value;
            var candidates = quoted.Where(q => q.Expiry == expiry && q.Right == leg.Right);
            if (pairStrike is { } k)
            {
                candidates = candidates.Where(q => q.Strike == k);
            }
            else if (legs.LastOrDefault(l => l.Right == leg.Right) is { } inner)
            {
                // The second leg of a vertical sits further out of the money than the first.
                candidates = leg.Right == OptionRight.Call ? candidates.Where(q => q.Strike > inner.Strike) : candidates.Where(q => q.Strike < inner.Strike);
            }

            var years = ExpiryClock.YearsTo(snapshot.AsOf, expiry);
            var best = candidates
                .Select(q => (Contract: q, Delta: DeltaOf(q, spot, years, rate, dividend)))
                .Where(x => x.Delta is not null)
                .OrderBy(x => Math.Abs(Math.Abs(x.Delta!.Value) - leg.Delta))
                .ThenBy(x => x.Contract.Strike)
                .FirstOrDefault();
            if (best.Contract is null)
            {
                return (null, string.Create(c, $"The {expiry:yyyy-MM-dd} {(leg.Right == OptionRight.Call ? "calls" : "puts")} have no quoted strike for the {(leg.Side == LegSide.Buy ? "long" : "short")} leg of a {meta.Strategy}."));
            }

            var q = best.Contract;
            legs.Add(new IdeaLeg(q.OccSymbol, q.Right, q.Strike, q.Expiry, 1, leg.Side, q.Bid!.Value, q.Ask!.Value, Math.Round(best.Delta!.Value, 4)));
        }

        var mid = legs.Sum(l => (l.Side == LegSide.Buy ? 1 : -1) * l.Quantity * (l.Bid + l.Ask) / 2);
        var natural = legs.Sum(l => l.Side == LegSide.Buy ? l.Quantity * l.Ask : -l.Quantity * l.Bid);
        var (maxLoss, maxGain) = Risk(meta.Strategy, legs, mid);

        double? stopBelow = null, stopAbove = null;
        var targets = new List<double>();
        var levels = metrics.Levels;
        if (plan.Direction > 0)
        {
            stopBelow = Snap(spot - StopAtr * atr.Value, atr.Value, levels, spot, below: true);
            targets.Add(Snap(spot + atr.Value, atr.Value, levels, spot, below: false));
            targets.Add(Snap(spot + 2 * atr.Value, atr.Value, levels, spot, below: false));
        }
        else if (plan.Direction < 0)
        {
            stopAbove = Snap(spot + StopAtr * atr.Value, atr.Value, levels, spot, below: false);
            targets.Add(Snap(spot - atr.Value, atr.Value, levels, spot, below: true));
            targets.Add(Snap(spot - 2 * atr.Value, atr.Value, levels, spot, below: true));
        }
        else if (meta.Strategy == "long straddle")
        {
            // Owning the move: take profit on a 1 or 2 ATR move either way; the idea lapses with time, not at a price.
            targets.AddRange([Snap(spot - atr.Value, atr.Value, levels, spot, true), Snap(spot + atr.Value, atr.Value, levels, spot, false),
                Snap(spot - 2 * atr.Value, atr.Value, levels, spot, true), Snap(spot + 2 * atr.Value, atr.Value, levels, spot, false)]);
        }
        else
        {
            // Selling the range: wrong when the underlying leaves it; held for time decay (no price target).
            stopBelow = Snap(spot - StopAtr * atr.Value, atr.Value, levels, spot, below: true);
            stopAbove = Snap(spot + StopAtr * atr.Value, atr.Value, levels, spot, below: false);
        }

        // Keep targets that still lie on the right side (a level can pull two of them together).
        targets = targets.Distinct().ToList();
        var ordered = legs.OrderBy(l => l.Expiry).ThenBy(l => l.Strike).ThenBy(l => l.Right).ToList();
        var idea = new TradeIdea(
            meta.Strategy,
            ordered,
            new IdeaEntry(spot, Round(spot - 0.25 * atr.Value), Round(spot + 0.25 * atr.Value), Math.Round(mid, 4), Math.Round(natural, 4)),
            stopBelow,
            stopAbove,
            targets,
            meta.Conviction,
            maxLoss is { } l ? Math.Round(l * Multiplier, 2) : null,
            maxGain is { } g ? Math.Round(g * Multiplier, 2) : null,
            ExpiryClock.Close(ordered.Min(x => x.Expiry)),
            Math.Round(atr.Value, 4),
            atrSource,
            plan.Horizon);
        return (idea, null);
    }

    /// <summary>+1 for structures that need the price up, −1 down, 0 for the range and straddle structures.</summary>
    public static int DirectionOf(string strategy) => strategy switch
    {
        "long calls" or "call debit spread" or "put credit spread" => 1,
        "long puts" or "put debit spread" or "call credit spread" => -1,
        _ => 0,
    };

    /// <summary>
    /// ATR(14): the mean true range of the last 14 completed sessions (true range = max(high − low, |high − previous close|,
    /// |low − previous close|)). With fewer than 15 daily bars, the implied one-day move spot × ATM IV / √252.
    /// </summary>
    public static (double? Atr, string Source) Atr(IReadOnlyList<Bar> dailyBars, double spot, double? atmIv)
    {
        var bars = dailyBars.OrderBy(b => b.Start).ToList();
        if (bars.Count >= 15)
        {
            var sum = 0.0;
            for (var i = bars.Count - 14; i < bars.Count; i++)
            {
                var previousClose = bars[i - 1].Close;
                sum += Math.Max(bars[i].High - bars[i].Low, Math.Max(Math.Abs(bars[i].High - previousClose), Math.Abs(bars[i].Low - previousClose)));
            }

            return (sum / 14, "daily bars");
        }

        return atmIv is > 0 ? (spot * atmIv.Value / Math.Sqrt(252), "implied move") : (null, "none");
    }

    /// <summary>
    /// The rules by strategy: target days to expiry and |delta| per leg. Long options: 7–21 days at 0.55 delta with
    /// conviction ≥ 0.6 or in a volatility expansion, else 21–45 days at 0.40. Verticals 14–45 days: debit 0.50 / 0.25,
    /// credit 0.30 / 0.15. Iron condor 21–45 days, shorts 0.20, wings 0.08. Straddle 14–45 days at the money. Calendar:
    /// sell 7–21 days, buy 30–60 days, same strike at the money.
    /// </summary>
    private static Plan? PlanFor(string strategy, double conviction, RegimeResponse? regime)
    {
        var fast = conviction >= 0.6 || regime?.Regime == RegimeLabel.VolatilityExpansion;
        var single = fast ? new IdeaHorizon(7, 21, 0.55) : new IdeaHorizon(21, 45, 0.40);
        return strategy switch
        {
            "long calls" => new Plan(single, null, [new(OptionRight.Call, LegSide.Buy, single.Delta)], +1, false),
            "long puts" => new Plan(single, null, [new(OptionRight.Put, LegSide.Buy, single.Delta)], -1, false),
            "call debit spread" => new Plan(new(14, 45, 0.50), null, [new(OptionRight.Call, LegSide.Buy, 0.50), new(OptionRight.Call, LegSide.Sell, 0.25)], +1, false),
            "put debit spread" => new Plan(new(14, 45, 0.50), null, [new(OptionRight.Put, LegSide.Buy, 0.50), new(OptionRight.Put, LegSide.Sell, 0.25)], -1, false),
            "put credit spread" => new Plan(new(14, 45, 0.30), null, [new(OptionRight.Put, LegSide.Sell, 0.30), new(OptionRight.Put, LegSide.Buy, 0.15)], +1, false),
            "call credit spread" => new Plan(new(14, 45, 0.30), null, [new(OptionRight.Call, LegSide.Sell, 0.30), new(OptionRight.Call, LegSide.Buy, 0.15)], -1, false),
            "iron condor" => new Plan(new(21, 45, 0.20), null,
                [new(OptionRight.Put, LegSide.Sell, 0.20), new(OptionRight.Put, LegSide.Buy, 0.08), new(OptionRight.Call, LegSide.Sell, 0.20), new(OptionRight.Call, LegSide.Buy, 0.08)], 0, false),
            "long straddle" => new Plan(new(14, 45, 0.50), null, [new(OptionRight.Call, LegSide.Buy, 0.50), new(OptionRight.Put, LegSide.Buy, 0.50)], 0, true),
            "calendar spread" => new Plan(new(7, 21, 0.50), new(30, 60, 0.50), [new(OptionRight.Call, LegSide.Sell, 0.50), new(OptionRight.Call, LegSide.Buy, 0.50, Back: true)], 0, true),
            _ => null,
        };
    }

    /// <summary>The quoted expiry inside the range nearest its middle; else the nearest to the range.</summary>
    private static DateOnly? ChooseExpiry(List<OptionContract> quoted, DateTimeOffset asOf, IdeaHorizon horizon)
    {
        var middle = (horizon.MinDays + horizon.MaxDays) / 2.0;
        return quoted.Select(q => q.Expiry).Distinct()
            .Select(e => (Expiry: e, Days: ExpiryClock.DaysTo(asOf, e)))
            .OrderBy(x => x.Days < horizon.MinDays ? horizon.MinDays - x.Days + 1000 : x.Days > horizon.MaxDays ? x.Days - horizon.MaxDays + 1000 : Math.Abs(x.Days - middle))
            .ThenBy(x => x.Days)
            .Select(x => (DateOnly?)x.Expiry)
            .FirstOrDefault();
    }

    /// <summary>The strike nearest spot quoted as a call and a put in the front expiry (and as a call in the back one, for calendars).</summary>
    private static double? AtTheMoneyStrike(List<OptionContract> quoted, DateOnly front, DateOnly? back, double spot)
    {
        var calls = quoted.Where(q => q.Expiry == front && q.Right == OptionRight.Call).Select(q => q.Strike).ToHashSet();
        var puts = quoted.Where(q => q.Expiry == front && q.Right == OptionRight.Put).Select(q => q.Strike).ToHashSet();
        var backCalls = back is { } b ? quoted.Where(q => q.Expiry == b && q.Right == OptionRight.Call).Select(q => q.Strike).ToHashSet() : null;
        return calls.Where(k => backCalls is null ? puts.Contains(k) : backCalls.Contains(k))
            .OrderBy(k => Math.Abs(k - spot)).ThenBy(k => k).Select(k => (double?)k).FirstOrDefault();
    }

    private static double? DeltaOf(OptionContract contract, double spot, double years, double rate, double dividend)
    {
        if (contract.Greeks?.Delta is { } delta)
        {
            return delta;
        }

        return contract.ImpliedVol is > 0 && years > 0 ? BlackScholes.Delta(contract.Right, spot, contract.Strike, years, rate, dividend, contract.ImpliedVol.Value) : null;
    }

    /// <summary>Most the package can lose and make per share at the mid package price (debit positive, credit negative).</summary>
    private static (double? Loss, double? Gain) Risk(string strategy, List<IdeaLeg> legs, double mid)
    {
        double Width(OptionRight right) => legs.Where(l => l.Right == right).Select(l => l.Strike).DefaultIfEmpty(0).Max()
            - legs.Where(l => l.Right == right).Select(l => l.Strike).DefaultIfEmpty(0).Min();
        return strategy switch
        {
            "long calls" => (mid, null),
            "long puts" => (mid, legs[0].Strike - mid),
            "call debit spread" => (mid, Width(OptionRight.Call) - mid),
            "put debit spread" => (mid, Width(OptionRight.Put) - mid),
            "call credit spread" => (Width(OptionRight.Call) + mid, -mid),
            "put credit spread" => (Width(OptionRight.Put) + mid, -mid),
            "iron condor" => (Math.Max(Width(OptionRight.Put), Width(OptionRight.Call)) + mid, -mid),
            "long straddle" => (mid, null),
            "calendar spread" => (mid, null),
            _ => (null, null),
        };
    }

    /// <summary>The raw price, or the nearest ranked level within 0.5 ATR of it on the same side of spot.</summary>
    private static double Snap(double raw, double atr, IReadOnlyList<PriceLevel> levels, double spot, bool below)
    {
        var level = levels
            .Where(l => (below ? l.Price < spot : l.Price > spot) && Math.Abs(l.Price - raw) <= SnapAtr * atr)
            .OrderBy(l => Math.Abs(l.Price - raw))
            .Select(l => (double?)l.Price)
            .FirstOrDefault();
        return Round(level ?? raw);
    }

    private static double Round(double price) => Math.Round(price, 2);
}
