using HuiHui.Modules.Cache.Contracts;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>Where the experts' results live in the cache.</summary>
public static class ExpertKeys
{
    /// <summary>The latest analysis of a symbol (expert-response tier, 30 s).</summary>
    public static CacheKey<Analysis> Analysis(string symbol)
    {
        var upper = symbol.ToUpperInvariant();
        return new CacheKey<Analysis>(CacheTier.ExpertResponse, $"analysis:{upper}", CacheTags.Symbol(upper)) { SharedAcrossNodes = true };
    }

    /// <summary>The metrics of one snapshot (enriched tier, 1 min), keyed by the snapshot's time; in memory only (a new key every cycle).</summary>
    public static CacheKey<MetricsBundle> Metrics(string symbol, DateTimeOffset asOf)
    {
        var upper = symbol.ToUpperInvariant();
        return new CacheKey<MetricsBundle>(CacheTier.Enriched, $"metrics:{upper}:{asOf.UtcTicks}", CacheTags.Symbol(upper)) { MemoryOnly = true };
    }
}
