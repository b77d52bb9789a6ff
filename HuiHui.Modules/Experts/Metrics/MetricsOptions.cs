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

    /// <summary>The slice analyses use unless one is asked for (whole chain unless set): <c>Slice:MinDte</c>, <c>Slice:MaxDte</c>, <c>Slice:StrikeRangePercent</c>.</summary>
    public SliceOptions Slice { get; set; } = new();

    /// <summary>Multipliers and weights of the EOTS metrics (docs/metrics.md).</summary>
    public EotsOptions Eots { get; set; } = new();

    /// <summary>How the ranked key levels are found and scored.</summary>
    public LevelOptions Levels { get; set; } = new();

    public double DividendYieldFor(string symbol) => DividendYields.TryGetValue(symbol, out var q) ? q : DividendYield;
}

internal sealed class SliceOptions
{
    public int? MinDte { get; set; }

    public int? MaxDte { get; set; }

    public double? StrikeRangePercent { get; set; }

    public HuiHui.Modules.Experts.Contracts.ChainSlice ToSlice() => new(MinDte, MaxDte, StrikeRangePercent);
}

/// <summary><c>HuiHui:Experts:Metrics:Eots</c>. Defaults follow the original's documented coefficients.</summary>
internal sealed class EotsOptions
{
    /// <summary>A-DAG: multiplier when customer delta and gamma flow at a strike agree with its dealer exposure.</summary>
    [Range(0, 10)]
    public double ADagAligned { get; set; } = 1.35;

    /// <summary>A-DAG: multiplier when they oppose it.</summary>
    [Range(0, 10)]
    public double ADagOpposed { get; set; } = 0.65;

    /// <summary>A-DAG: |alignment| above this is aligned or opposed, else neutral (multiplier 1).</summary>
    [Range(0, 1)]
    public double ADagAlignmentThreshold { get; set; } = 0.3;

    /// <summary>A-DAG gamma scaling by days to expiry: expiring today, up to <see cref="ShortDteDays"/>, up to <see cref="NormalDteDays"/>, beyond.</summary>
    [Range(0, 10)]
    public double DteScaleSameDay { get; set; } = 1.5;

    [Range(0, 10)]
    public double DteScaleShort { get; set; } = 1.2;

    [Range(0, 10)]
    public double DteScaleNormal { get; set; } = 1.0;

    [Range(0, 10)]
    public double DteScaleLong { get; set; } = 0.8;

    [Range(1, 3650)]
    public int ShortDteDays { get; set; } = 5;

    [Range(1, 3650)]
    public int NormalDteDays { get; set; } = 45;

    /// <summary>E-SDAG: how strongly a contract's IV over its expiry's ATM IV scales its gamma exposure (0 = no skew adjustment).</summary>
    [Range(0, 10)]
    public double ESdagSkewSensitivity { get; set; } = 1.0;

    /// <summary>E-SDAG multiplicative variant: weight of the normalised delta exposure.</summary>
    [Range(0, 10)]
    public double ESdagDeltaWeight { get; set; } = 0.5;

    /// <summary>E-SDAG directional variant: weight of the dollar delta per 1 % move.</summary>
    [Range(0, 10)]
    public double ESdagDirectionalWeight { get; set; } = 0.6;

    /// <summary>D-TDPI: weight of the normalised customer theta flow.</summary>
    [Range(0, 10)]
    public double DTdpiThetaFlowWeight { get; set; } = 0.4;

    /// <summary>VRI 2.0: weight of the normalised customer vanna flow.</summary>
    [Range(0, 10)]
    public double Vri2VannaFlowWeight { get; set; } = 1.0;

    /// <summary>VRI 2.0: weight of the vomma-to-vega ratio.</summary>
    [Range(0, 10)]
    public double Vri2VommaWeight { get; set; } = 1.0;

    /// <summary>GIB: the dealer gamma (dollars per 1 % move) counted as balanced.</summary>
    public double GibBaseline { get; set; }

    /// <summary>HP-EOD: time weight at the 09:30 New York open, rising linearly to <see cref="HpEodCloseWeight"/> at 16:00.</summary>
    [Range(0, 10)]
    public double HpEodOpenWeight { get; set; } = 0.5;

    [Range(0, 10)]
    public double HpEodCloseWeight { get; set; } = 1.0;

    /// <summary>SGDHP heatmap: width of the proximity weight exp(−½((K − S) / (w × S))²) as a fraction of spot.</summary>
    [Range(0.001, 1)]
    public double SgdhpProximity { get; set; } = 0.05;

    /// <summary>UGCH heatmap: the weight of each greek exposure's z-score (delta, gamma, vega, theta, charm, vanna).</summary>
    public UgchWeights Ugch { get; set; } = new();
}

/// <summary><c>HuiHui:Experts:Metrics:Eots:Ugch</c>: the original's default weights.</summary>
internal sealed class UgchWeights
{
    public double Delta { get; set; } = 1.5;

    public double Gamma { get; set; } = 2.0;

    public double Vega { get; set; } = 1.2;

    public double Theta { get; set; } = 0.8;

    public double Charm { get; set; } = 0.6;

    public double Vanna { get; set; } = 1.0;
}

/// <summary><c>HuiHui:Experts:Metrics:Levels</c>.</summary>
internal sealed class LevelOptions
{
    /// <summary>Candidates closer than this fraction of their price merge into one level (0.001 = 0.1 %).</summary>
    [Range(0, 0.05)]
    public double MergeWithin { get; set; } = 0.001;

    /// <summary>A peak below this share of its source's largest is not a candidate.</summary>
    [Range(0, 1)]
    public double MinStrength { get; set; } = 0.2;

    /// <summary>Peaks kept per source.</summary>
    [Range(1, 100)]
    public int PerSource { get; set; } = 5;

    /// <summary>Levels reported, best first.</summary>
    [Range(1, 100)]
    public int Max { get; set; } = 12;

    /// <summary>How much each source counts toward a level's conviction (0–1 each).</summary>
    public Dictionary<string, double> Weights { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gamma"] = 0.6,
        ["openInterest"] = 0.45,
        ["volume"] = 0.3,
        ["netPremium"] = 0.3,
        ["callWall"] = 0.5,
        ["putWall"] = 0.5,
        ["zeroGamma"] = 0.4,
        ["maxPain"] = 0.25,
    };

    public double WeightOf(string source) => Weights.TryGetValue(source, out var w) ? Math.Clamp(w, 0, 1) : 0.3;
}
