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

    public static FlowMetrics Compute(ChainArrays chain, ChainSnapshot snapshot, double? atmIv, MetricsOptions options)
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

        var prints = snapshot.Prints;
        var buckets = new Buckets();
        double netPremium = 0, callPremium = 0, putPremium = 0, deltaFlow = 0, netVolume = 0;
        long unsignedVolume = 0;
        var blocks = new List<BlockTrade>();
        foreach (var print in prints)
        {
            var side = print.Side switch { AggressorSide.Buy => 1, AggressorSide.Sell => -1, _ => 0 };
            if (!OccSymbol.TryParse(print.Symbol, out var occ, out _))
            {
                continue; // a print in the underlying
            }

            if (side == 0)
            {
                unsignedVolume += print.Size;
                continue;
            }

            netVolume += side * print.Size;

            var isCall = occ.Right == OptionRight.Call;
            var i = chain.Find(occ.Expiry, occ.Strike, isCall);
            var found = i >= 0;
            var premium = print.Price * print.Size * 100;
            var direction = isCall ? side : -side; // buying calls or selling puts is bullish
            netPremium += direction * premium;
            if (isCall)
            {
                callPremium += side * premium;
            }
            else
            {
                putPremium += side * premium;
            }

            var delta = found ? chain.Delta[i] : 0;
            deltaFlow += side * delta * print.Size * 100;
            if (print.Size >= options.BlockSize)
            {
                blocks.Add(new BlockTrade(print.Symbol, print.Size, print.Price, side > 0, print.Time));
            }

            var minute = (int)Math.Floor((snapshot.AsOf - print.Time).TotalMinutes);
            if (minute is >= 0 and < Minutes)
            {
                var mid = found ? chain.Mid[i] : print.Price;
                var spread = found ? chain.Spread[i] : 0;
                var liquidity = 1 / Math.Max(mid > 0 ? spread / mid : 0.01, 0.01);
                buckets.Add(minute, direction, print.Size, premium, Math.Abs(delta), liquidity);
            }
        }

        blocks.Sort((a, b) => b.Size.CompareTo(a.Size));
        return new FlowMetrics(
            callOi > 0 ? putOi / callOi : null,
            callVolume > 0 ? putVolume / callVolume : null,
            netPremium,
            callPremium,
            putPremium,
            deltaFlow,
            blocks.Count,
            Sweeps(prints, options),
            unusual,
            buckets.VapiFa(atmIv ?? 0),
            buckets.Dwfd(),
            buckets.TwLaf(),
            blocks.Count > 5 ? blocks[..5] : blocks,
            snapshot.Flow?.DerivedFrom ?? FlowOrigins.Prints,
            netVolume,
            unsignedVolume + (snapshot.Flow?.DerivedFrom == FlowOrigins.VolumeDelta ? snapshot.Flow.UnclassifiedVolume : 0),
            snapshot.Flow?.Note ?? (prints.Count == 0 ? "no trades in the snapshot" : null));
    }

    /// <summary>Bursts of at least N same-side prints in one contract within the sweep window, adding up to the minimum size.</summary>
    private static int Sweeps(IReadOnlyList<TradePrint> prints, MetricsOptions options)
    {
        var sorted = prints.Where(p => p.Side != AggressorSide.Unknown)
            .OrderBy(p => p.Symbol, StringComparer.Ordinal).ThenBy(p => p.Side).ThenBy(p => p.Time).ToList();
        var sweeps = 0;
        var i = 0;
        while (i < sorted.Count)
        {
            var j = i;
            long size = 0;
            while (j < sorted.Count && sorted[j].Symbol == sorted[i].Symbol && sorted[j].Side == sorted[i].Side && sorted[j].Time - sorted[i].Time <= options.SweepWindow)
            {
                size += sorted[j].Size;
                j++;
            }

            if (j - i >= options.SweepMinPrints && size >= options.SweepMinContracts)
            {
                sweeps++;
            }

            i = j;
        }

        return sweeps;
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
