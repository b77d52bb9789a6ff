using System.ComponentModel.DataAnnotations;

namespace HuiHui.Modules.Experts.Metrics;

/// <summary><c>HuiHui:Experts:Metrics</c>: market inputs and thresholds of the metrics calculator.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "HuiHui:Experts:Metrics";

    [Range(-0.05, 0.5)]
    public double RiskFreeRate { get; set; } = 0.04;

    /// <summary>Dividend yield for symbols not in <see cref="DividendYields"/>.</summary>
    [Range(0, 0.5)]
    public double DividendYield { get; set; } = 0.013;

    public Dictionary<string, double> DividendYields { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A print of at least this many contracts is a block.</summary>
    [Range(1, 1_000_000)]
    public int BlockSize { get; set; } = 500;

    /// <summary>Same-side prints in one contract within this window form a sweep when there are enough of them.</summary>
    public TimeSpan SweepWindow { get; set; } = TimeSpan.FromSeconds(2);

    [Range(2, 100)]
    public int SweepMinPrints { get; set; } = 3;

    [Range(1, 1_000_000)]
    public int SweepMinContracts { get; set; } = 100;

    public double DividendYieldFor(string symbol) => DividendYields.TryGetValue(symbol, out var q) ? q : DividendYield;
}
