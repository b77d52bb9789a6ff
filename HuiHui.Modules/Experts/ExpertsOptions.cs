using System.ComponentModel.DataAnnotations;

namespace HuiHui.Modules.Experts;

/// <summary><c>HuiHui:Experts</c>.</summary>
internal sealed class ExpertsOptions
{
    public const string Section = "HuiHui:Experts";

    /// <summary>Analyse every ingested snapshot (the per-cycle run); off leaves only on-demand analysis.</summary>
    public bool AnalyzeEveryCycle { get; set; } = true;

    /// <summary>Workers analysing ingested snapshots off the fetch path (0: one per core).</summary>
    [Range(0, 64)]
    public int AnalysisWorkers { get; set; }

    /// <summary>How long each expert may take before the meta goes on without it.</summary>
    public TimeSpan ExpertTimeBudget { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Days of daily bars fed to the metrics (realised volatility).</summary>
    [Range(5, 400)]
    public int HistoryDays { get; set; } = 45;

    /// <summary>Where responses wait while PostgreSQL is unreachable (replayed in order when it is back).</summary>
    [Required]
    public string SpoolPath { get; set; } = ".data/spool/experts";

    /// <summary>Responses written per COPY batch at most.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How often the writer retries PostgreSQL while it is down.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Trade ideas (<c>HuiHui:Experts:Ideas</c>).</summary>
    public IdeaOptions Ideas { get; set; } = new();

    /// <summary>The Market Compass (<c>HuiHui:Experts:Compass</c>).</summary>
    public CompassOptions Compass { get; set; } = new();
}

/// <summary><c>HuiHui:Experts:Compass</c>: what the compass z-scores each reading against.</summary>
internal sealed class CompassOptions
{
    /// <summary>Earlier readings per symbol kept for the z-scores (390 = a session of 1-minute readings).</summary>
    [Range(10, 10_000)]
    public int Window { get; set; } = 390;

    /// <summary>Earlier readings needed before an axis is scaled.</summary>
    [Range(2, 1_000)]
    public int MinReadings { get; set; } = 10;
}

/// <summary><c>HuiHui:Experts:Ideas</c>: when the meta proposes a trade.</summary>
internal sealed class IdeaOptions
{
    /// <summary>Below this conviction there is no idea ("no trade" is an answer).</summary>
    [Range(0.0, 1.0)]
    public double MinConviction { get; set; } = 0.2;
}
