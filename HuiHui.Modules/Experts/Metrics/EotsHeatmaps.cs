using HuiHui.Modules.Experts.Contracts;

namespace HuiHui.Modules.Experts.Metrics;

/// <summary>
/// The EOTS heatmaps by expiry and strike (docs/metrics.md, "EOTS heatmaps"): SGDHP hedging pressure, UGCH greek
/// confluence and IVSDH change of implied volatility, on the same cells as <see cref="StructureMetrics.Grid"/>.
/// </summary>
internal static class EotsHeatmaps
{
    /// <summary>The six exposures of each cell (weighted by open interest or volume), rows by expiry, columns by strike.</summary>
    internal sealed record Cells(double[] Strikes, DateOnly[] Expiries, double[][] Gamma, double[][] AbsGamma, double[][] Delta, double[][] Vega, double[][] Theta, double[][] Charm, double[][] Vanna, double[][] Iv);

    public static Cells Collect(ChainArrays chain, bool byVolume, double strikeRange)
    {
        var (strikes, expiries, _) = StructureMetrics.Grid(chain, ExposureKind.Gamma, byVolume, strikeRange);
        double[][] New() => [.. expiries.Select(_ => new double[strikes.Length])];
        var cells = new Cells(strikes, expiries, New(), New(), New(), New(), New(), New(), New(), New());
        var ivCount = New();
        var scale = StructureMetrics.Scales.For(chain.Spot);
        for (var i = 0; i < chain.Count; i++)
        {
            var k = Array.BinarySearch(strikes, chain.Strike[i]);
            if (k < 0)
            {
                continue;
            }

            var e = Array.BinarySearch(expiries, chain.Expiry[i]);
            var n = byVolume ? chain.Volume[i] : chain.OpenInterest[i];
            var (g, d, va, ch, _) = StructureMetrics.PerContract(chain, i, scale);
            cells.Gamma[e][k] += g * n;
            cells.AbsGamma[e][k] += Math.Abs(g) * n;
            cells.Delta[e][k] += d * n;
            cells.Vega[e][k] += chain.Vega[i] * StructureMetrics.Scales.Vega * n;
            cells.Theta[e][k] += chain.Theta[i] * StructureMetrics.Scales.Theta * n;
            cells.Charm[e][k] += ch * n;
            cells.Vanna[e][k] += va * n;
            cells.Iv[e][k] += chain.Iv[i];
            ivCount[e][k]++;
        }

        for (var e = 0; e < expiries.Length; e++)
        {
            for (var k = 0; k < strikes.Length; k++)
            {
                cells.Iv[e][k] = ivCount[e][k] > 0 ? cells.Iv[e][k] / ivCount[e][k] : double.NaN;
            }
        }

        return cells;
    }

    /// <summary>
    /// SGDHP = |Γ| exposure × exp(−½((K − S) / (w × S))²) × sign(Δ exposure) × |Δ exposure| ÷ max |Δ exposure| over the cells:
    /// the gamma dealers must hedge near spot, signed by which side (calls +, puts −) holds the cell's delta.
    /// </summary>
    public static double[][] Sgdhp(Cells cells, double spot, double proximity)
    {
        var maxDelta = cells.Delta.SelectMany(row => row).Select(Math.Abs).DefaultIfEmpty(0).Max();
        return [.. cells.AbsGamma.Select((row, e) => row.Select((gamma, k) =>
        {
            var distance = (cells.Strikes[k] - spot) / (proximity * spot);
            var near = Math.Exp(-0.5 * distance * distance);
            return maxDelta > 0 ? gamma * near * cells.Delta[e][k] / maxDelta : 0;
        }).ToArray())];
    }

    /// <summary>UGCH = Σ weight × z(exposure) over delta, gamma, vega, theta, charm and vanna, each z-scored across the cells (population sd; 0 when flat).</summary>
    public static double[][] Ugch(Cells cells, UgchWeights weights)
    {
        var parts = new (double[][] Values, double Weight)[]
        {
            (cells.Delta, weights.Delta), (cells.Gamma, weights.Gamma), (cells.Vega, weights.Vega),
            (cells.Theta, weights.Theta), (cells.Charm, weights.Charm), (cells.Vanna, weights.Vanna),
        };
        var result = cells.Gamma.Select(row => new double[row.Length]).ToArray();
        foreach (var (values, weight) in parts)
        {
            var all = values.SelectMany(row => row).ToArray();
            if (all.Length == 0)
            {
                continue;
            }

            var mean = all.Average();
            var sd = Math.Sqrt(all.Sum(v => (v - mean) * (v - mean)) / all.Length);
            if (sd <= 0)
            {
                continue;
            }

            for (var e = 0; e < values.Length; e++)
            {
                for (var k = 0; k < values[e].Length; k++)
                {
                    result[e][k] += weight * (values[e][k] - mean) / sd;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// IVSDH = (IV now − IV at the reference chain) × 100, vol points, per cell (the mean IV of the cell's call and put);
    /// 0 where either chain has no quote for the cell.
    /// </summary>
    public static double[][] Ivsdh(Cells now, Cells reference)
    {
        return [.. now.Iv.Select((row, e) => row.Select((iv, k) =>
        {
            var r = Array.BinarySearch(reference.Expiries, now.Expiries[e]);
            var c = Array.BinarySearch(reference.Strikes, now.Strikes[k]);
            var before = r >= 0 && c >= 0 ? reference.Iv[r][c] : double.NaN;
            return double.IsNaN(iv) || double.IsNaN(before) ? 0 : (iv - before) * 100;
        }).ToArray())];
    }
}
