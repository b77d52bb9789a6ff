using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Modules.Experts.Metrics;

/// <summary>
/// Put/call ratios, aggressor-signed premium and delta flow, blocks and sweeps, and the EOTS-style intensities
/// (VAPI-FA, DWFD, TW-LAF) from real 1-minute buckets of prints over the last 30 minutes. Formulas: docs/metrics.md.
/// </summary>
internal static class FlowCalculator
{
    private const int Minutes = 30;

    /// <param name="lookup">The chain's print lookup, shared with <see cref="NetContracts"/> so each OCC symbol is parsed once per snapshot.</param>
    public static FlowMetrics Compute(ChainArrays chain, ChainSnapshot snapshot, double? atmIv, MetricsOptions options, ContractLookup lookup)
    {
        double callOi = 0, putOi = 0, callVolume = 0, putVolume = 0;
        var unusual = 0;
        for (var i = 0; i < chain.Count; i++)
        {
            if (chain.IsCall[i])
            {
                callOi += chain.OpenInterest[i];
                callVolume += chain.Volume[i];
            }
            else
            {
                putOi += chain.OpenInterest[i];
                putVolume += chain.Volume[i];
            }

            unusual += chain.Volume[i] >= 100 && chain.Volume[i] > chain.OpenInterest[i] ? 1 : 0;
        }

        double? pcrOi = callOi > 0 ? putOi / callOi : null;
        double? pcrVolume = callVolume > 0 ? putVolume / callVolume : null;
        var flow = snapshot.Flow;
        var tally = new Tally(snapshot.AsOf, options);
        if (flow?.DerivedFrom != FlowOrigins.VolumeDelta)
        {
            tally.AddPrints(snapshot.Prints, chain, lookup); // a derived snapshot's prints are its latest interval, already in the sums
        }

        if (flow?.Intervals is { } intervals)
        {
            tally.AddIntervals(intervals);
        }

        var blocks = tally.Blocks;
        blocks.Sort((a, b) => b.Size.CompareTo(a.Size));
        return new FlowMetrics(
            pcrOi,
            pcrVolume,
            tally.CallPremium - tally.PutPremium,
            tally.CallPremium,
            tally.PutPremium,
            tally.DeltaFlow,
            blocks.Count,
            tally.Sweeps.Count,
            unusual,
            tally.Buckets.VapiFa(atmIv ?? 0),
            tally.Buckets.Dwfd(),
            tally.Buckets.TwLaf(),
            blocks.Count > 5 ? blocks[..5] : blocks,
            flow?.DerivedFrom ?? FlowOrigins.Prints,
            tally.NetVolume,
            flow?.Intervals is not null ? flow.UnclassifiedVolume : tally.Unsigned,
            flow?.Note ?? (snapshot.Prints.Count == 0 ? "no trades in the snapshot" : null));
    }

    /// <summary>
    /// The flow's sums: from prints one by one (each weighted with its contract's delta and liquidity in this chain), and from
    /// the tape's per-snapshot intervals of derived trades (already weighted when they traded). Sweeps need individual prints:
    /// intervals add none. Blocks from intervals are their derived trades of at least the block size.
    /// </summary>
    private sealed class Tally(DateTimeOffset asOf, MetricsOptions options)
    {
        public Buckets Buckets { get; } = new();

        public SweepCounter Sweeps { get; } = new(options);

        public List<BlockTrade> Blocks { get; } = [];

        public double CallPremium { get; private set; }

        public double PutPremium { get; private set; }

        public double DeltaFlow { get; private set; }

        public double NetVolume { get; private set; }

        public long Unsigned { get; private set; }

        public void AddPrints(IReadOnlyList<TradePrint> prints, ChainArrays chain, ContractLookup lookup)
        {
            foreach (var print in prints)
            {
                var side = print.Side switch { AggressorSide.Buy => 1, AggressorSide.Sell => -1, _ => 0 };
                if (!lookup.TryFind(print.Symbol, out var isCall, out var i) || (i < 0 && chain.OutOfSlice > 0))
                {
                    continue; // a print in the underlying, or in a contract outside the slice
                }

                if (side == 0)
                {
                    Unsigned += print.Size;
                    continue;
                }

                NetVolume += side * print.Size;
                Sweeps.Add(print, side);
                var found = i >= 0;
                var premium = print.Price * print.Size * FlowMath.Multiplier;
                var direction = isCall ? side : -side; // buying calls or selling puts is bullish
                if (isCall)
                {
                    CallPremium += side * premium;
                }
                else
                {
                    PutPremium += side * premium;
                }

                var delta = found ? chain.Delta[i] : 0;
                DeltaFlow += side * delta * print.Size * FlowMath.Multiplier;
                if (print.Size >= options.BlockSize)
                {
                    Blocks.Add(new BlockTrade(print.Symbol, print.Size, print.Price, side > 0, print.Time));
                }

                var minute = (int)Math.Floor((asOf - print.Time).TotalMinutes);
                if (minute is >= 0 and < Minutes)
                {
                    var mid = found ? chain.Mid[i] : print.Price;
                    var spread = found ? chain.Spread[i] : 0;
                    Buckets.Add(minute, direction, print.Size, premium, Math.Abs(delta), FlowMath.Liquidity(mid, spread));
                }
            }
        }

        public void AddIntervals(IReadOnlyList<FlowInterval> intervals)
        {
            foreach (var interval in intervals)
            {
                var age = asOf - interval.At;
                if (age < TimeSpan.Zero || age >= TimeSpan.FromMinutes(Minutes))
                {
                    continue;
                }

                CallPremium += interval.CallPremium;
                PutPremium += interval.PutPremium;
                DeltaFlow += interval.DeltaFlow;
                NetVolume += interval.NetVolume;
                Buckets.AddSums((int)Math.Floor(age.TotalMinutes), interval.DirectionalVolume, interval.CallPremium - interval.PutPremium, interval.Volume,
                    interval.DeltaWeighted, interval.LiquidityWeighted, interval.Liquidity);
                foreach (var trade in interval.LargeTrades)
                {
                    if (trade.Size < options.BlockSize)
                    {
                        break; // largest first
                    }

                    Blocks.Add(new BlockTrade(trade.Symbol, trade.Size, trade.Price, trade.Side == AggressorSide.Buy, trade.Time));
                }
            }
        }
    }

    /// <summary>
    /// Customer contracts bought minus sold per chain index over the snapshot's prints (a derived snapshot's prints are its
    /// latest interval): the per-strike flow the EOTS metrics and the levels weigh. Prints of contracts not in the chain
    /// (or outside the slice) and unsigned prints count nowhere. <paramref name="netPremium"/>: bullish premium per index
    /// (calls bought and puts sold +), dollars.
    /// </summary>
    public static double[] NetContracts(ChainArrays chain, IReadOnlyList<TradePrint> prints, ContractLookup lookup, out double[] netPremium)
    {
        var net = new double[chain.Count];
        netPremium = new double[chain.Count];
        if (prints.Count == 0)
        {
            return net;
        }

        foreach (var print in prints)
        {
            var side = print.Side switch { AggressorSide.Buy => 1, AggressorSide.Sell => -1, _ => 0 };
            if (side == 0 || !lookup.TryFind(print.Symbol, out var isCall, out var i) || i < 0)
            {
                continue;
            }

            net[i] += side * print.Size;
            netPremium[i] += (isCall ? side : -side) * print.Price * print.Size * FlowMath.Multiplier;
        }

        return net;
    }

    /// <summary>
    /// An option print's chain index (−1 when the contract is not in the chain) and right, each OCC symbol parsed once per
    /// computation: a tape derived from volume changes repeats the same contracts minute after minute.
    /// </summary>
    internal sealed class ContractLookup(ChainArrays chain)
    {
        private readonly Dictionary<string, (bool IsCall, int Index)> seen = new(StringComparer.Ordinal);

        public bool TryFind(string symbol, out bool isCall, out int index)
        {
            if (!seen.TryGetValue(symbol, out var entry))
            {
                if (!OccSymbol.TryParse(symbol, out var occ, out _))
                {
                    isCall = false;
                    index = -1;
                    return false;
                }

                var call = occ.Right == OptionRight.Call;
                seen[symbol] = entry = (call, chain.Find(occ.Expiry, occ.Strike, call));
            }

            (isCall, index) = entry;
            return true;
        }
    }

    /// <summary>
    /// Sweeps: bursts of at least N same-side prints in one contract within the sweep window, adding up to the minimum size.
    /// Per contract and side, prints are grouped greedily from the first of a burst; prints arrive in time order per
    /// contract (providers and the derived tape both append), which this relies on instead of sorting the tape.
    /// </summary>
    /// <remarks>
    /// With <paramref name="members"/> it also remembers which prints (by the index given to <see cref="Add"/>) belong to a
    /// counted sweep, for the flow tape's marks; without it nothing is kept per print.
    /// </remarks>
    internal sealed class SweepCounter(MetricsOptions options, HashSet<int>? members = null)
    {
        private readonly Dictionary<(string Symbol, int Side), Burst> bursts = [];

        public int Count { get; private set; }

        public void Add(TradePrint print, int side, int index = -1)
        {
            var key = (print.Symbol, side);
            if (!bursts.TryGetValue(key, out var burst) || print.Time - burst.Start > options.SweepWindow || print.Time < burst.Start)
            {
                bursts[key] = burst = new Burst { Start = print.Time };
            }

            burst.Prints++;
            burst.Size += print.Size;
            if (members is not null)
            {
                (burst.Indexes ??= []).Add(index);
            }

            if (!burst.Counted && burst.Prints >= options.SweepMinPrints && burst.Size >= options.SweepMinContracts)
            {
                burst.Counted = true;
                Count++;
            }

            if (burst.Counted && members is not null)
            {
                members.UnionWith(burst.Indexes!);
            }
        }

        private sealed class Burst
        {
            public DateTimeOffset Start;
            public int Prints;
            public long Size;
            public bool Counted;
            public List<int>? Indexes;
        }
    }

    /// <summary>Minute buckets, 0 = the latest minute.</summary>
    private sealed class Buckets
    {
        private readonly double[] directionalVolume = new double[Minutes];
        private readonly double[] directionalPremium = new double[Minutes];
        private readonly double[] volume = new double[Minutes];
        private readonly double[] deltaWeighted = new double[Minutes];
        private readonly double[] liquidityWeighted = new double[Minutes];
        private readonly double[] liquidity = new double[Minutes];

        /// <summary>Sums of several trades in the same minute (a derived interval).</summary>
        public void AddSums(int minute, double directional, double directionalPremiumSum, double traded, double deltaWeightedSum, double liquidityWeightedSum, double liquiditySum)
        {
            directionalVolume[minute] += directional;
            directionalPremium[minute] += directionalPremiumSum;
            volume[minute] += traded;
            deltaWeighted[minute] += deltaWeightedSum;
            liquidityWeighted[minute] += liquidityWeightedSum;
            liquidity[minute] += liquiditySum;
        }

        public void Add(int minute, int direction, long size, double premium, double absDelta, double liquidityFactor)
        {
            directionalVolume[minute] += direction * size;
            directionalPremium[minute] += direction * premium;
            volume[minute] += size;
            deltaWeighted[minute] += direction * size * absDelta;
            liquidityWeighted[minute] += direction * size * liquidityFactor;
            liquidity[minute] += size * liquidityFactor;
        }

        /// <summary>
        /// Reading r(e) for the 5 minutes ending e minutes ago: (net premium ÷ contracts traded) × ATM IV × (1 + acceleration),
        /// acceleration = (net volume of those 5 minutes − net volume of the 5 before) ÷ contracts traded in the 10.
        /// VAPI-FA = z-score of r(0) against r(1) … r(20).
        /// </summary>
        public double VapiFa(double atmIv)
        {
            var readings = new double[21];
            for (var e = 0; e < readings.Length; e++)
            {
                var traded = Sum(volume, e, 5);
                var acceleration = (Sum(directionalVolume, e, 5) - Sum(directionalVolume, e + 5, 5)) / Math.Max(Sum(volume, e, 10), 1);
                readings[e] = Sum(directionalPremium, e, 5) / Math.Max(traded, 1) * atmIv * (1 + acceleration);
            }

            return ZScore(readings);
        }

        /// <summary>
        /// z(V) − ½·(z(P) − z(V)): V = net delta-weighted volume, P = net premium, each the latest 5 minutes as a z-score
        /// against the 5-minute sums ending 1 … 25 minutes ago. Positive when delta-heavy buying leads premium.
        /// </summary>
        public double Dwfd()
        {
            var v = new double[26];
            var p = new double[26];
            for (var e = 0; e < v.Length; e++)
            {
                v[e] = Sum(deltaWeighted, e, 5);
                p[e] = Sum(directionalPremium, e, 5);
            }

            var zv = ZScore(v);
            return zv - 0.5 * (ZScore(p) - zv);
        }

        /// <summary>(1.0·F₅ + 0.8·F₁₅ + 0.6·F₃₀) / 2.4, F_w = Σ direction·size·L / Σ size·L over the last w minutes, L = 1 / max(spread/mid, 1 %).</summary>
        public double TwLaf()
        {
            double F(int window)
            {
                var total = Sum(liquidity, 0, window);
                return total > 0 ? Sum(liquidityWeighted, 0, window) / total : 0;
            }

            return (1.0 * F(5) + 0.8 * F(15) + 0.6 * F(30)) / 2.4;
        }

        private static double Sum(double[] values, int from, int count)
        {
            double sum = 0;
            for (var i = from; i < from + count && i < values.Length; i++)
            {
                sum += values[i];
            }

            return sum;
        }

        /// <summary>(x₀ − mean(x₁…)) / sd(x₁…); 0 when the history does not vary.</summary>
        private static double ZScore(double[] readings)
        {
            double sum = 0, squares = 0;
            var n = readings.Length - 1;
            for (var i = 1; i < readings.Length; i++)
            {
                sum += readings[i];
                squares += readings[i] * readings[i];
            }

            var mean = sum / n;
            var sd = Math.Sqrt(Math.Max(squares / n - mean * mean, 0));
            return sd > 1e-12 ? (readings[0] - mean) / sd : 0;
        }
    }
}
