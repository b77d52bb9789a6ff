using System.Numerics.Tensors;
using HuiHui.Modules.Experts.Contracts;

namespace HuiHui.Modules.Experts.Metrics;

/// <summary>Exposures by strike and the key levels (zero gamma, walls, max pain). Formulas: docs/metrics.md.</summary>
internal static class StructureMetrics
{
    private const double InverseSqrtTwoPi = 0.3989422804014327;

    /// <summary>How far from spot the zero-gamma search goes, and its first step (both as fractions of spot).</summary>
    private const double ZeroGammaRange = 0.20;
    private const double ZeroGammaStep = 0.01;

    /// <summary>
    /// Exposures by open interest and by the day's volume, per strike and per expiry, in one pass over the chain.
    /// <paramref name="strikeOf"/> is each contract's index in the returned strikes (the EOTS metrics reuse it).
    /// </summary>
    public static ExposureMetrics Exposures(ChainArrays chain, out int[] strikeOf)
    {
        var strikes = DistinctStrikes(chain);
        var m = strikes.Length;
        var callGex = new double[m];
        var putGex = new double[m];
        var dex = new double[m];
        var vanna = new double[m];
        var charm = new double[m];
        var vomma = new double[m];
        var vega = new double[m];
        var theta = new double[m];
        var callOi = new double[m];
        var putOi = new double[m];
        var volume = new double[m];
        var gexVolume = new double[m];
        var dexVolume = new double[m];
        var vannaVolume = new double[m];
        var charmVolume = new double[m];
        var vommaVolume = new double[m];
        var scale = Scales.For(chain.Spot);
        strikeOf = new int[chain.Count];
        var expiries = new List<ExpiryExposure>();
        var byExpiry = new Accumulator();
        var byExpiryVolume = new Accumulator();
        double expiryOi = 0, expiryVolume = 0;
        var order = chain.ByKey;
        for (var j = 0; j < order.Length; j++)
        {
            var i = order[j];
            var k = Array.BinarySearch(strikes, chain.Strike[i]);
            strikeOf[i] = k;
            var oi = chain.OpenInterest[i];
            var traded = chain.Volume[i];
            var (g, d, va, ch, vo) = PerContract(chain, i, scale);
            if (chain.IsCall[i])
            {
                callGex[k] += g * oi;
                callOi[k] += oi;
            }
            else
            {
                putGex[k] += g * oi;
                putOi[k] += oi;
            }

            dex[k] += d * oi;
            vanna[k] += va * oi;
            charm[k] += ch * oi;
            vomma[k] += vo * oi;
            vega[k] += chain.Vega[i] * Scales.Vega * oi;
            theta[k] += chain.Theta[i] * Scales.Theta * oi;
            volume[k] += traded;
            gexVolume[k] += g * traded;
            dexVolume[k] += d * traded;
            vannaVolume[k] += va * traded;
            charmVolume[k] += ch * traded;
            vommaVolume[k] += vo * traded;
            byExpiry.Add(g * oi, d * oi, va * oi, ch * oi, vo * oi);
            byExpiryVolume.Add(g * traded, d * traded, va * traded, ch * traded, vo * traded);
            expiryOi += oi;
            expiryVolume += traded;
            if (j == order.Length - 1 || chain.Expiry[order[j + 1]] != chain.Expiry[i])
            {
                expiries.Add(new ExpiryExposure(chain.Expiry[i], chain.DaysToExpiry[i], byExpiry.Take(), byExpiryVolume.Take(), expiryOi, expiryVolume));
                (expiryOi, expiryVolume) = (0, 0);
            }
        }

        var byStrike = new StrikeExposure[m];
        for (var k = 0; k < m; k++)
        {
            byStrike[k] = new StrikeExposure(strikes[k], callGex[k], putGex[k], callGex[k] + putGex[k], dex[k], vanna[k], charm[k], vomma[k], vega[k], theta[k],
                callOi[k], putOi[k], volume[k], new ExposureSet(gexVolume[k], dexVolume[k], vannaVolume[k], charmVolume[k], vommaVolume[k]));
        }

        return new ExposureMetrics(
            TensorPrimitives.Sum<double>(callGex) + TensorPrimitives.Sum<double>(putGex),
            TensorPrimitives.Sum<double>(dex),
            TensorPrimitives.Sum<double>(vanna),
            TensorPrimitives.Sum<double>(charm),
            byStrike,
            TensorPrimitives.Sum<double>(vomma),
            TensorPrimitives.Sum<double>(vega),
            TensorPrimitives.Sum<double>(theta),
            new ExposureSet(
                TensorPrimitives.Sum<double>(gexVolume),
                TensorPrimitives.Sum<double>(dexVolume),
                TensorPrimitives.Sum<double>(vannaVolume),
                TensorPrimitives.Sum<double>(charmVolume),
                TensorPrimitives.Sum<double>(vommaVolume)),
            expiries);
    }

    public static (double? CallWall, double? PutWall) Walls(ExposureMetrics exposures)
    {
        double? callWall = null, putWall = null;
        double bestCall = 0, bestPut = 0;
        foreach (var s in exposures.ByStrike)
        {
            if (s.CallGex > bestCall)
            {
                bestCall = s.CallGex;
                callWall = s.Strike;
            }

            if (-s.PutGex > bestPut)
            {
                bestPut = -s.PutGex;
                putWall = s.Strike;
            }
        }

        return (callWall, putWall);
    }

    /// <summary>
    /// The hedge wall (the strike nearest spot where cumulative net GEX, summed from the lowest strike up, changes sign),
    /// the key gamma strike (largest |net GEX|) and the key delta strike (largest |DEX|).
    /// </summary>
    public static (double? HedgeWall, double? KeyGamma, double? KeyDelta) StrikeLevels(ExposureMetrics exposures, double spot)
    {
        double? hedgeWall = null, keyGamma = null, keyDelta = null;
        double cumulative = 0, bestGamma = 0, bestDelta = 0;
        foreach (var s in exposures.ByStrike)
        {
            var before = cumulative;
            cumulative += s.NetGex;
            if (before != 0 && Math.Sign(cumulative) != Math.Sign(before) && (hedgeWall is not { } h || Math.Abs(s.Strike - spot) < Math.Abs(h - spot)))
            {
                hedgeWall = s.Strike;
            }

            if (Math.Abs(s.NetGex) > bestGamma)
            {
                (bestGamma, keyGamma) = (Math.Abs(s.NetGex), s.Strike);
            }

            if (Math.Abs(s.Dex) > bestDelta)
            {
                (bestDelta, keyDelta) = (Math.Abs(s.Dex), s.Strike);
            }
        }

        return (hedgeWall, keyGamma, keyDelta);
    }

    /// <summary>
    /// The spot nearest to the current one, within ±20 %, at which total GEX changes sign, recomputed with every
    /// contract's IV and time fixed: GEX(S) = S · Σ wₖ·exp(−xₖ²/2), xₖ = (ln S + eₖ)·bₖ, with per-contract constants
    /// computed once, and each evaluation vectorised (TensorPrimitives). Steps of 1 % outward, then Brent's method.
    /// </summary>
    public static double? ZeroGamma(ChainArrays chain)
    {
        var n = chain.Count;
        // x/√2 = ln S·b + c with b = 1/(σ√T·√2), c = e·b: then exp(−x²/2) = exp(−(x/√2)²). Scratch from the pool: this runs
        // for every symbol every cycle.
        var pool = System.Buffers.ArrayPool<double>.Shared;
        double[] bArray = pool.Rent(n), cArray = pool.Rent(n), wArray = pool.Rent(n), scratchArray = pool.Rent(n);
        try
        {
            return ZeroGamma(chain, bArray.AsMemory(0, n), cArray.AsMemory(0, n), wArray.AsMemory(0, n), scratchArray.AsMemory(0, n));
        }
        finally
        {
            pool.Return(bArray);
            pool.Return(cArray);
            pool.Return(wArray);
            pool.Return(scratchArray);
        }
    }

    private static double? ZeroGamma(ChainArrays chain, Memory<double> bMemory, Memory<double> cMemory, Memory<double> wMemory, Memory<double> scratchMemory)
    {
        var n = chain.Count;
        var b = bMemory.Span;
        var c = cMemory.Span;
        var w = wMemory.Span;
        for (var i = 0; i < n; i++)
        {
            var volSqrtT = chain.Iv[i] * Math.Sqrt(chain.Years[i]);
            var e = (chain.Rate - chain.Dividend + 0.5 * chain.Iv[i] * chain.Iv[i]) * chain.Years[i] - Math.Log(chain.Strike[i]);
            b[i] = 1 / (volSqrtT * Math.Sqrt(2));
            c[i] = e * b[i];
            w[i] = (chain.IsCall[i] ? 1 : -1) * chain.OpenInterest[i] * 100 * 0.01 * Math.Exp(-chain.Dividend * chain.Years[i]) * InverseSqrtTwoPi / volSqrtT;
        }

        double Gex(double spot)
        {
            var scratch = scratchMemory.Span;
            TensorPrimitives.MultiplyAdd(bMemory.Span, Math.Log(spot), cMemory.Span, scratch);
            TensorPrimitives.Multiply(scratch, scratch, scratch);
            TensorPrimitives.Negate(scratch, scratch);
            TensorPrimitives.Exp(scratch, scratch);
            return spot * TensorPrimitives.Dot(scratch, wMemory.Span);
        }

        var spot0 = chain.Spot;
        var at = Gex(spot0);
        if (at == 0)
        {
            return spot0;
        }

        // Walk outward on both sides at once; the first bracket found is the crossing nearest to spot.
        double upLow = spot0, upValue = at, downHigh = spot0, downValue = at;
        for (var step = 1; step * ZeroGammaStep <= ZeroGammaRange + 1e-12; step++)
        {
            var up = spot0 * (1 + step * ZeroGammaStep);
            var upNext = Gex(up);
            if (Math.Sign(upNext) != Math.Sign(upValue))
            {
                return Bisect(Gex, upLow, upValue, up);
            }

            var down = spot0 * (1 - step * ZeroGammaStep);
            var downNext = Gex(down);
            if (Math.Sign(downNext) != Math.Sign(downValue))
            {
                return Bisect(Gex, down, downNext, downHigh);
            }

            (upLow, upValue, downHigh, downValue) = (up, upNext, down, downNext);
        }

        return null;
    }

    /// <summary>
    /// Max pain per expiry: the strike S* minimising the intrinsic value paid to holders,
    /// Σ call OI·max(0, S* − K) + Σ put OI·max(0, K − S*), over that expiry's strikes; prefix sums make it linear.
    /// Expiries in date order.
    /// </summary>
    public static List<ExpiryMaxPain> MaxPain(ChainArrays chain, int[] order)
    {
        var result = new List<ExpiryMaxPain>();
        // Per-strike scratch from the pool, reused across expiries (this runs for every symbol every cycle).
        var pool = System.Buffers.ArrayPool<double>.Shared;
        var size = order.Length + 1;
        double[] strikes = pool.Rent(size), callOi = pool.Rent(size), putOi = pool.Rent(size), suffixPutOi = pool.Rent(size), suffixPutValue = pool.Rent(size);
        try
        {
            MaxPainByExpiry(chain, order, result, strikes, callOi, putOi, suffixPutOi, suffixPutValue);
        }
        finally
        {
            pool.Return(strikes);
            pool.Return(callOi);
            pool.Return(putOi);
            pool.Return(suffixPutOi);
            pool.Return(suffixPutValue);
        }

        return result;
    }

    private static void MaxPainByExpiry(ChainArrays chain, int[] order, List<ExpiryMaxPain> result,
        double[] strikes, double[] callOi, double[] putOi, double[] suffixPutOi, double[] suffixPutValue)
    {
        var start = 0;
        while (start < order.Length)
        {
            var expiry = chain.Expiry[order[start]];
            var end = start;
            while (end < order.Length && chain.Expiry[order[end]] == expiry)
            {
                end++;
            }

            // Aggregate calls and puts per distinct strike of this expiry.
            var m = 0;
            for (var j = start; j < end; j++)
            {
                var i = order[j];
                if (m == 0 || strikes[m - 1] != chain.Strike[i])
                {
                    strikes[m] = chain.Strike[i];
                    callOi[m] = 0;
                    putOi[m] = 0;
                    m++;
                }

                if (chain.IsCall[i])
                {
                    callOi[m - 1] += chain.OpenInterest[i];
                }
                else
                {
                    putOi[m - 1] += chain.OpenInterest[i];
                }
            }

            suffixPutOi[m] = 0;
            suffixPutValue[m] = 0;
            for (var j = m - 1; j >= 0; j--)
            {
                suffixPutOi[j] = suffixPutOi[j + 1] + putOi[j];
                suffixPutValue[j] = suffixPutValue[j + 1] + putOi[j] * strikes[j];
            }

            double prefixCallOi = 0, prefixCallValue = 0, bestPain = double.PositiveInfinity, best = strikes[0];
            for (var j = 0; j < m; j++)
            {
                var x = strikes[j];
                var pain = x * prefixCallOi - prefixCallValue + (suffixPutValue[j + 1] - x * suffixPutOi[j + 1]);
                if (pain < bestPain)
                {
                    bestPain = pain;
                    best = x;
                }

                prefixCallOi += callOi[j];
                prefixCallValue += callOi[j] * x;
            }

            result.Add(new ExpiryMaxPain(expiry, best));
            start = end;
        }
    }

    /// <summary>Brent's method inside the bracket, to a hundred-thousandth of spot.</summary>
    private static double Bisect(Func<double, double> f, double low, double lowValue, double high)
    {
        _ = lowValue;
        return MathNet.Numerics.RootFinding.Brent.TryFindRoot(f, low, high, low * 1e-5, 100, out var root) ? root : (low + high) / 2;
    }

    /// <summary>Exposure scales (docs/metrics.md): what one contract's greek becomes in the exposure's units.</summary>
    public readonly record struct Scales(double Gamma, double Vanna, double Charm)
    {
        /// <summary>vomma × 100 shares × 0.01 (vega per vol point) × 0.01 (per vol point).</summary>
        public const double Vomma = 100 * 0.0001;

        /// <summary>vega × 100 shares × 0.01: dollars per vol point.</summary>
        public const double Vega = 100 * 0.01;

        /// <summary>theta (per year) × 100 shares / 365: dollars per calendar day.</summary>
        public const double Theta = 100 / 365.0;

        public static Scales For(double spot) => new(100 * spot * spot * 0.01, 100 * spot * 0.01, 100 / 365.0);
    }

    private sealed class Accumulator
    {
        private double gex, dex, vanna, charm, vomma;

        public void Add(double g, double d, double va, double ch, double vo)
        {
            gex += g;
            dex += d;
            vanna += va;
            charm += ch;
            vomma += vo;
        }

        public ExposureSet Take()
        {
            var set = new ExposureSet(gex, dex, vanna, charm, vomma);
            (gex, dex, vanna, charm, vomma) = (0, 0, 0, 0, 0);
            return set;
        }
    }

    /// <summary>Strikes repeat across expiries: collect the distinct ones, then sort only those.</summary>
    /// <summary>
    /// One contract's exposures per contract held (multiply by open interest or volume): gamma signed calls + / puts −
    /// ($ of delta per 1 % move), delta (shares), vanna ($ of delta per vol point), charm ($ of delta per day), vomma.
    /// </summary>
    public static (double Gamma, double Delta, double Vanna, double Charm, double Vomma) PerContract(ChainArrays chain, int i, Scales scale) =>
        ((chain.IsCall[i] ? 1 : -1) * chain.Gamma[i] * scale.Gamma, chain.Delta[i] * 100, chain.Vanna[i] * scale.Vanna, chain.Charm[i] * scale.Charm, chain.Vomma[i] * Scales.Vomma);

    /// <summary>
    /// One exposure by expiry (rows, nearest first) and strike (columns, ascending), weighted by open interest or by the
    /// day's volume, over the strikes within <paramref name="strikeRange"/> (a fraction of spot) of spot. Summed over the
    /// expiries, each column is the by-strike figure of <see cref="Exposures"/>.
    /// </summary>
    public static (double[] Strikes, DateOnly[] Expiries, double[][] Values) Grid(ChainArrays chain, ExposureKind kind, bool byVolume, double strikeRange)
    {
        var strikes = DistinctStrikes(chain).Where(k => Math.Abs(k - chain.Spot) <= strikeRange * chain.Spot).ToArray();
        var expiries = new SortedSet<DateOnly>();
        for (var i = 0; i < chain.Count; i++)
        {
            expiries.Add(chain.Expiry[i]);
        }

        var rows = expiries.ToArray();
        var values = rows.Select(_ => new double[strikes.Length]).ToArray();
        var scale = Scales.For(chain.Spot);
        for (var i = 0; i < chain.Count; i++)
        {
            var k = Array.BinarySearch(strikes, chain.Strike[i]);
            if (k < 0)
            {
                continue;
            }

            var (g, d, va, ch, _) = PerContract(chain, i, scale);
            var exposure = kind switch { ExposureKind.Delta => d, ExposureKind.Vanna => va, ExposureKind.Charm => ch, _ => g };
            values[Array.BinarySearch(rows, chain.Expiry[i])][k] += exposure * (byVolume ? chain.Volume[i] : chain.OpenInterest[i]);
        }

        return (strikes, rows, values);
    }

    private static double[] DistinctStrikes(ChainArrays chain)
    {
        var distinct = new HashSet<double>();
        for (var i = 0; i < chain.Count; i++)
        {
            distinct.Add(chain.Strike[i]);
        }

        var strikes = distinct.ToArray();
        Array.Sort(strikes);
        return strikes;
    }
}
