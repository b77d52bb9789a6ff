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

    public static ExposureMetrics Exposures(ChainArrays chain, out double[] strikes)
    {
        strikes = DistinctStrikes(chain);
        var callGex = new double[strikes.Length];
        var putGex = new double[strikes.Length];
        var dex = new double[strikes.Length];
        var vanna = new double[strikes.Length];
        var charm = new double[strikes.Length];
        var spot = chain.Spot;
        var gexScale = 100 * spot * spot * 0.01;
        var vannaScale = 100 * spot * 0.01;
        for (var i = 0; i < chain.Count; i++)
        {
            var k = Array.BinarySearch(strikes, chain.Strike[i]);
            var oi = chain.OpenInterest[i];
            var gex = chain.Gamma[i] * oi * gexScale;
            if (chain.IsCall[i])
            {
                callGex[k] += gex;
            }
            else
            {
                putGex[k] -= gex;
            }

            dex[k] += chain.Delta[i] * oi * 100;
            vanna[k] += chain.Vanna[i] * oi * vannaScale;
            charm[k] += chain.Charm[i] * oi * 100 / 365;
        }

        var byStrike = new StrikeExposure[strikes.Length];
        for (var k = 0; k < strikes.Length; k++)
        {
            byStrike[k] = new StrikeExposure(strikes[k], callGex[k], putGex[k], callGex[k] + putGex[k], dex[k], vanna[k], charm[k]);
        }

        return new ExposureMetrics(
            TensorPrimitives.Sum<double>(callGex) + TensorPrimitives.Sum<double>(putGex),
            TensorPrimitives.Sum<double>(dex),
            TensorPrimitives.Sum<double>(vanna),
            TensorPrimitives.Sum<double>(charm),
            byStrike);
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
    /// The spot nearest to the current one, within ±20 %, at which total GEX changes sign, recomputed with every
    /// contract's IV and time fixed: GEX(S) = S · Σ wₖ·exp(−xₖ²/2), xₖ = (ln S + eₖ)·bₖ, with per-contract constants
    /// computed once, and each evaluation vectorised (TensorPrimitives). Steps of 1 % outward, then Brent's method.
    /// </summary>
    public static double? ZeroGamma(ChainArrays chain)
    {
        var n = chain.Count;
        // x/√2 = ln S·b + c with b = 1/(σ√T·√2), c = e·b: then exp(−x²/2) = exp(−(x/√2)²).
        var b = new double[n];
        var c = new double[n];
        var w = new double[n];
        for (var i = 0; i < n; i++)
        {
            var volSqrtT = chain.Iv[i] * Math.Sqrt(chain.Years[i]);
            var e = (chain.Rate - chain.Dividend + 0.5 * chain.Iv[i] * chain.Iv[i]) * chain.Years[i] - Math.Log(chain.Strike[i]);
            b[i] = 1 / (volSqrtT * Math.Sqrt(2));
            c[i] = e * b[i];
            w[i] = (chain.IsCall[i] ? 1 : -1) * chain.OpenInterest[i] * 100 * 0.01 * Math.Exp(-chain.Dividend * chain.Years[i]) * InverseSqrtTwoPi / volSqrtT;
        }

        var scratch = new double[n];
        double Gex(double spot)
        {
            TensorPrimitives.MultiplyAdd(b, Math.Log(spot), c, scratch);
            TensorPrimitives.Multiply(scratch, scratch, scratch);
            TensorPrimitives.Negate(scratch, scratch);
            TensorPrimitives.Exp(scratch, scratch);
            return spot * TensorPrimitives.Dot(scratch, w);
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
            var strikes = new List<double>();
            var callOi = new List<double>();
            var putOi = new List<double>();
            for (var j = start; j < end; j++)
            {
                var i = order[j];
                if (strikes.Count == 0 || strikes[^1] != chain.Strike[i])
                {
                    strikes.Add(chain.Strike[i]);
                    callOi.Add(0);
                    putOi.Add(0);
                }

                if (chain.IsCall[i])
                {
                    callOi[^1] += chain.OpenInterest[i];
                }
                else
                {
                    putOi[^1] += chain.OpenInterest[i];
                }
            }

            var m = strikes.Count;
            var suffixPutOi = new double[m + 1];
            var suffixPutValue = new double[m + 1];
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

        return result;
    }

    /// <summary>Brent's method inside the bracket, to a hundred-thousandth of spot.</summary>
    private static double Bisect(Func<double, double> f, double low, double lowValue, double high)
    {
        _ = lowValue;
        return MathNet.Numerics.RootFinding.Brent.TryFindRoot(f, low, high, low * 1e-5, 100, out var root) ? root : (low + high) / 2;
    }

    /// <summary>Strikes repeat across expiries: collect the distinct ones, then sort only those.</summary>
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
