using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;

namespace HuiHui.Modules.Experts.Metrics;

/// <summary>ATM IV and term structure, 25-delta skew, IV rank/percentile, realised volatility. Formulas: docs/metrics.md.</summary>
internal static class VolatilityCalculator
{
    private const int RealisedDays = 20;

    public static VolatilityMetrics Compute(ChainArrays chain, int[] byExpiryAndStrike, IReadOnlyList<Bar> dailyBars, IReadOnlyList<double> atmIvHistory)
    {
        var term = new List<ExpiryVolatility>();
        var groups = new List<(int Start, int End)>();
        var start = 0;
        while (start < byExpiryAndStrike.Length)
        {
            var expiry = chain.Expiry[byExpiryAndStrike[start]];
            var end = start;
            while (end < byExpiryAndStrike.Length && chain.Expiry[byExpiryAndStrike[end]] == expiry)
            {
                end++;
            }

            if (AtmIv(chain, byExpiryAndStrike, start, end) is { } atm)
            {
                term.Add(new ExpiryVolatility(expiry, chain.Years[byExpiryAndStrike[start]], atm));
                groups.Add((start, end));
            }

            start = end;
        }

        double? atmIv = null, slope = null, riskReversal = null, skew = null;
        if (term.Count > 0)
        {
            var target = 30 / 365.0;
            var nearest = 0;
            for (var i = 1; i < term.Count; i++)
            {
                if (Math.Abs(term[i].Years - target) < Math.Abs(term[nearest].Years - target))
                {
                    nearest = i;
                }
            }

            atmIv = term[nearest].AtmIv;
            var first = term.FindIndex(t => t.Years >= 2 / 365.0);
            if (first >= 0 && first < term.Count - 1)
            {
                slope = term[^1].AtmIv - term[first].AtmIv;
            }

            var (call25, put25) = TwentyFiveDelta(chain, byExpiryAndStrike, groups[nearest].Start, groups[nearest].End);
            if (call25 is { } c && put25 is { } p)
            {
                riskReversal = c - p;
                skew = p - atmIv;
            }
        }

        double? rank = null, percentile = null;
        if (atmIv is { } current && atmIvHistory.Count > 0)
        {
            double min = double.MaxValue, max = double.MinValue, below = 0;
            foreach (var reading in atmIvHistory)
            {
                min = Math.Min(min, reading);
                max = Math.Max(max, reading);
                below += reading < current ? 1 : 0;
            }

            rank = max > min ? Math.Clamp((current - min) / (max - min), 0, 1) : null;
            percentile = below / atmIvHistory.Count;
        }

        var (closeToClose, parkinson) = Realised(dailyBars);
        return new VolatilityMetrics(atmIv, term, slope, riskReversal, skew, rank, percentile, closeToClose, parkinson);
    }

    /// <summary>Linear interpolation in strike of the mean call/put IV at the two strikes around spot (the nearest when spot is outside).</summary>
    private static double? AtmIv(ChainArrays chain, int[] order, int start, int end)
    {
        var spot = chain.Spot;
        double? belowStrike = null, aboveStrike = null;
        double belowSum = 0, aboveSum = 0;
        int belowCount = 0, aboveCount = 0;
        for (var j = start; j < end; j++)
        {
            var i = order[j];
            var strike = chain.Strike[i];
            if (strike <= spot && (belowStrike is null || strike >= belowStrike))
            {
                if (belowStrike != strike)
                {
                    (belowStrike, belowSum, belowCount) = (strike, 0, 0);
                }

                belowSum += chain.Iv[i];
                belowCount++;
            }

            if (strike >= spot && (aboveStrike is null || strike < aboveStrike || strike == aboveStrike))
            {
                if (aboveStrike != strike)
                {
                    (aboveStrike, aboveSum, aboveCount) = (strike, 0, 0);
                }

                aboveSum += chain.Iv[i];
                aboveCount++;
            }
        }

        if (belowStrike is { } lo && aboveStrike is { } hi)
        {
            var ivLo = belowSum / belowCount;
            var ivHi = aboveSum / aboveCount;
            return hi == lo ? ivLo : ivLo + (ivHi - ivLo) * (spot - lo) / (hi - lo);
        }

        return belowStrike is not null ? belowSum / belowCount : aboveStrike is not null ? aboveSum / aboveCount : null;
    }

    private static (double? Call, double? Put) TwentyFiveDelta(ChainArrays chain, int[] order, int start, int end)
    {
        double? call = null, put = null;
        double callDistance = 0.1, putDistance = 0.1; // within 0.10 of delta, else none
        for (var j = start; j < end; j++)
        {
            var i = order[j];
            var distance = Math.Abs(Math.Abs(chain.Delta[i]) - 0.25);
            if (chain.IsCall[i] && distance < callDistance)
            {
                (call, callDistance) = (chain.Iv[i], distance);
            }
            else if (!chain.IsCall[i] && distance < putDistance)
            {
                (put, putDistance) = (chain.Iv[i], distance);
            }
        }

        return (call, put);
    }

    /// <summary>
    /// Close-to-close: √252 × sample standard deviation of the last 20 daily log returns.
    /// Parkinson: √252 × √(Σ ln(H/L)² / (4 ln 2 · n)) over the last 20 days. Null with fewer than 5 days.
    /// </summary>
    public static (double? CloseToClose, double? Parkinson) Realised(IReadOnlyList<Bar> dailyBars)
    {
        var count = Math.Min(dailyBars.Count, RealisedDays + 1);
        if (count < 6)
        {
            return (null, null);
        }

        var first = dailyBars.Count - count;
        double sum = 0, sumSquares = 0, parkinson = 0;
        for (var i = first + 1; i < dailyBars.Count; i++)
        {
            var r = Math.Log(dailyBars[i].Close / dailyBars[i - 1].Close);
            sum += r;
            sumSquares += r * r;
        }

        for (var i = first + 1; i < dailyBars.Count; i++)
        {
            var range = Math.Log(dailyBars[i].High / dailyBars[i].Low);
            parkinson += range * range;
        }

        var n = count - 1;
        var variance = (sumSquares - sum * sum / n) / (n - 1);
        return (Math.Sqrt(Math.Max(variance, 0) * 252), Math.Sqrt(parkinson / (4 * Math.Log(2) * n) * 252));
    }
}
