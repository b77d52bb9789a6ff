using System.ComponentModel.DataAnnotations;

namespace HuiHui.Modules.Monitoring.Compliance;

/// <summary><c>HuiHui:Monitoring:Compliance</c>: what the tracker watches and its thresholds.</summary>
internal sealed class ComplianceOptions
{
    public const string Section = "HuiHui:Monitoring:Compliance";

    public bool Enabled { get; set; } = true;

    /// <summary>How often the rules are evaluated.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The window latencies and rates are measured over.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Minimum share of produced expert responses that reached PostgreSQL (or the spool) in the window.</summary>
    [Range(0, 1)]
    public double MinPersistenceRate { get; set; } = 0.999;

    /// <summary>p99 latency budget per orchestrator stage, milliseconds.</summary>
    public Dictionary<string, double> StageBudgetsMs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Below this hit ratio (with at least <see cref="MinCacheLookups"/> lookups in the window) the cache is thrashing.</summary>
    [Range(0, 1)]
    public double MinCacheHitRatio { get; set; } = 0.5;

    [Range(1, 1_000_000)]
    public int MinCacheLookups { get; set; } = 100;

    /// <summary>A symbol not fetched for this many ingestion intervals has a provider gap.</summary>
    [Range(1, 100)]
    public int ProviderGapIntervals { get; set; } = 3;

    /// <summary>A component silent for longer than this has a missing heartbeat.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Components that must beat; empty means the defaults (ingestion loop, orchestrator, response writer).</summary>
    public List<string> ExpectedComponents { get; set; } = [];

    public static readonly IReadOnlyDictionary<string, double> DefaultBudgetsMs = new Dictionary<string, double>
    {
        ["snapshot"] = 50, ["metrics"] = 100, ["experts"] = 600, ["meta"] = 50, ["total"] = 750,
    };
}
