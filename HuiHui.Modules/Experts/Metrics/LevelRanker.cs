using HuiHui.Modules.Experts.Contracts;

namespace HuiHui.Modules.Experts.Metrics;

/// <summary>
/// Supports and resistances ranked by conviction. Candidates are the local peaks, by strike, of |net GEX| (<c>gamma</c>),
/// open interest, the day's volume and |net premium| of the latest flow, each scored by its share of that source's largest
/// peak (those under <see cref="LevelOptions.MinStrength"/> dropped, the best <see cref="LevelOptions.PerSource"/> kept),
/// plus the named levels at full strength. Candidates within <see cref="LevelOptions.MergeWithin"/> of each other's price
/// merge; a level's conviction is 1 − Π(1 − wₛ·strengthₛ) over its sources (a source counted once, at its strongest).
/// Below spot: support; at or above: resistance. Formulas and a worked example: docs/metrics.md.
/// </summary>
internal static class LevelRanker
{
    public static IReadOnlyList<PriceLevel> Rank(ExposureMetrics exposures, KeyLevels named, double spot, double[] netPremiumByStrike, LevelOptions options)
    {
        var strikes = exposures.ByStrike;
        var candidates = new List<Candidate>();
        AddPeaks(candidates, strikes, "gamma", k => Math.Abs(strikes[k].NetGex), options);
        AddPeaks(candidates, strikes, "openInterest", k => strikes[k].CallOi + strikes[k].PutOi, options);
        AddPeaks(candidates, strikes, "volume", k => strikes[k].Volume, options);
        AddPeaks(candidates, strikes, "netPremium", k => Math.Abs(netPremiumByStrike[k]), options);
        AddNamed(candidates, named.CallWall, "callWall");
        AddNamed(candidates, named.PutWall, "putWall");
        AddNamed(candidates, named.ZeroGamma, "zeroGamma");
        AddNamed(candidates, named.MaxPain, "maxPain");
        return Merge(candidates, spot, options);
    }

    /// <summary>Merges sorted candidates within the tolerance and scores each group.</summary>
    public static IReadOnlyList<PriceLevel> Merge(List<Candidate> candidates, double spot, LevelOptions options)
    {
        candidates.Sort((a, b) => a.Price.CompareTo(b.Price));
        var levels = new List<PriceLevel>();
        var start = 0;
        while (start < candidates.Count)
        {
            var end = start + 1;
            while (end < candidates.Count && candidates[end].Price - candidates[start].Price <= options.MergeWithin * candidates[end].Price + 1e-9)
            {
                end++;
            }

            var strongest = new Dictionary<string, double>(StringComparer.Ordinal);
            double weighted = 0, weights = 0;
            for (var j = start; j < end; j++)
            {
                var c = candidates[j];
                strongest[c.Source] = Math.Max(strongest.GetValueOrDefault(c.Source), c.Strength);
                var w = options.WeightOf(c.Source) * c.Strength;
                weighted += w * c.Price;
                weights += w;
            }

            var miss = 1.0;
            foreach (var (source, strength) in strongest)
            {
                miss *= 1 - options.WeightOf(source) * strength;
            }

            var price = weights > 0 ? weighted / weights : candidates[start].Price;
            var sources = strongest.OrderByDescending(s => options.WeightOf(s.Key) * s.Value).Select(s => s.Key).ToArray();
            levels.Add(new PriceLevel(Math.Round(price, 4), price < spot ? PriceLevel.Support : PriceLevel.Resistance, Math.Round(1 - miss, 4), sources));
            start = end;
        }

        levels.Sort((a, b) => b.Conviction != a.Conviction ? b.Conviction.CompareTo(a.Conviction) : Math.Abs(a.Price - spot).CompareTo(Math.Abs(b.Price - spot)));
        return levels.Count > options.Max ? levels[..options.Max] : levels;
    }

    /// <summary>Local maxima of <paramref name="value"/> over the strikes (plateaus count once), strongest first.</summary>
    private static void AddPeaks(List<Candidate> candidates, IReadOnlyList<StrikeExposure> strikes, string source, Func<int, double> value, LevelOptions options)
    {
        var n = strikes.Count;
        double max = 0;
        for (var k = 0; k < n; k++)
        {
            max = Math.Max(max, value(k));
        }

        if (max <= 0)
        {
            return;
        }

        var peaks = new List<Candidate>();
        for (var k = 0; k < n; k++)
        {
            var v = value(k);
            var left = k > 0 ? value(k - 1) : double.NegativeInfinity;
            var right = k < n - 1 ? value(k + 1) : double.NegativeInfinity;
            if (v > 0 && v > left && v >= right && v / max >= options.MinStrength)
            {
                peaks.Add(new Candidate(strikes[k].Strike, source, v / max));
            }
        }

        peaks.Sort((a, b) => b.Strength.CompareTo(a.Strength));
        candidates.AddRange(peaks.Count > options.PerSource ? peaks[..options.PerSource] : peaks);
    }

    private static void AddNamed(List<Candidate> candidates, double? price, string source)
    {
        if (price is { } p && double.IsFinite(p))
        {
            candidates.Add(new Candidate(p, source, 1));
        }
    }

    /// <param name="Strength">Share of the source's largest peak, 0–1.</param>
    public readonly record struct Candidate(double Price, string Source, double Strength);
}
