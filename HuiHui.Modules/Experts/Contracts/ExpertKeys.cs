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
}
