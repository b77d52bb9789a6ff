using System.ComponentModel.DataAnnotations;

namespace HuiHui.Modules.Cache;

/// <summary>Settings under <c>HuiHui:Cache</c>.</summary>
internal sealed class CacheOptions
{
    public const string Section = "HuiHui:Cache";

    /// <summary>Validated provider snapshots.</summary>
    public TimeSpan RawTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Metrics bundles.</summary>
    public TimeSpan EnrichedTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Expert responses.</summary>
    public TimeSpan ExpertResponseTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long past its time to live a value may still be served when refreshing it fails (fail-safe).</summary>
    public TimeSpan StaleWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a factory may run before the cache gives up on it (and serves stale if it can).</summary>
    public TimeSpan FactoryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1024, long.MaxValue)]
    public long MemoryMaxBytes { get; set; } = 100L * 1024 * 1024;

    public bool DiskEnabled { get; set; } = true;

    /// <summary>Folder of the disk level; relative paths are relative to the working directory.</summary>
    [Required]
    public string DiskPath { get; set; } = ".data/cache";

    [Range(4096, long.MaxValue)]
    public long DiskMaxBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>
    /// How long a written value may wait before it goes to disk: each key's newest value is serialised and written once
    /// per delay, all in one transaction. Zero: written through at once. A crash loses at most this much of the disk level
    /// (values stay in memory meanwhile; a clean stop writes them).
    /// </summary>
    public TimeSpan DiskWriteDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A hard page limit for the SQLite file (diagnostics: makes "disk full" reproducible). Unset: none.</summary>
    public long? DiskMaxPageCount { get; set; }

    /// <summary>While the disk level is degraded, how often to try it again.</summary>
    public TimeSpan DiskRetryInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan TimeToLive(Contracts.CacheTier tier) => tier switch
    {
        Contracts.CacheTier.Raw => RawTtl,
        Contracts.CacheTier.Enriched => EnrichedTtl,
        Contracts.CacheTier.ExpertResponse => ExpertResponseTtl,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "unknown cache tier"),
    };
}
