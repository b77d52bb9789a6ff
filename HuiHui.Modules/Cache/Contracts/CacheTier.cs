namespace HuiHui.Modules.Cache.Contracts;

/// <summary>What kind of value an entry holds; the tier decides its time to live.</summary>
public enum CacheTier
{
    /// <summary>Validated provider snapshots (default 5 min).</summary>
    Raw,

    /// <summary>The metrics bundle computed from a snapshot (default 1 min).</summary>
    Enriched,

    /// <summary>Expert and meta responses (default 30 s).</summary>
    ExpertResponse,
}
