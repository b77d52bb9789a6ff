using Mediator;

namespace HuiHui.Modules.Cache.Contracts;

/// <summary>The cache's counters and sizes, for the hub's health panel.</summary>
public sealed record GetCacheStats : IQuery<CacheStats>;

/// <param name="Tiers">Hits, misses and stale serves per tier.</param>
/// <param name="Memory">The memory level.</param>
/// <param name="Disk">The disk level.</param>
/// <param name="FactoryFailures">Factories that threw.</param>
/// <param name="FactoryTimeouts">Factories that ran out of time.</param>
public sealed record CacheStats(IReadOnlyList<TierStats> Tiers, LevelStats Memory, DiskStats Disk, long FactoryFailures, long FactoryTimeouts)
{
    public double HitRatio
    {
        get
        {
            var hits = Tiers.Sum(t => t.MemoryHits + t.DiskHits);
            var lookups = hits + Tiers.Sum(t => t.Misses);
            return lookups == 0 ? 0 : (double)hits / lookups;
        }
    }
}

public sealed record TierStats(CacheTier Tier, TimeSpan TimeToLive, long MemoryHits, long DiskHits, long Misses, long StaleServes);

public sealed record LevelStats(long Entries, long Bytes, long MaxBytes, long Evictions);

/// <param name="Enabled">Configured on.</param>
/// <param name="Healthy">Reading and writing; false while degraded to memory only.</param>
/// <param name="Problem">Why it is degraded.</param>
/// <param name="Entries">Entries on disk.</param>
/// <param name="Bytes">Payload bytes on disk.</param>
/// <param name="MaxBytes">The cap.</param>
/// <param name="Evictions">Entries evicted to respect the cap.</param>
/// <param name="CorruptEntriesDropped">Unreadable entries (or whole files) dropped.</param>
/// <param name="Path">The store's file.</param>
public sealed record DiskStats(bool Enabled, bool Healthy, string? Problem, long Entries, long Bytes, long MaxBytes, long Evictions, long CorruptEntriesDropped, string Path);
