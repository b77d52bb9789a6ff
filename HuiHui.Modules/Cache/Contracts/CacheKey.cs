namespace HuiHui.Modules.Cache.Contracts;

/// <summary>
/// A typed cache key: the tier decides the time to live, <typeparamref name="T"/> the value's type,
/// <see cref="Tags"/> what <see cref="IEnhancedCache.RemoveByTagAsync"/> can remove it by (e.g. <c>symbol:SPY</c>).
/// Keep instances for hot keys: <see cref="Text"/> is built once.
/// </summary>
public sealed class CacheKey<T>
{
    public CacheKey(CacheTier tier, string id, params IReadOnlyList<string> tags)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Tier = tier;
        Id = id;
        Tags = tags;
        Text = $"{tier}:{id}";
    }

    public CacheTier Tier { get; }

    public string Id { get; }

    public IReadOnlyList<string> Tags { get; }

    /// <summary>The key as stored: <c>Tier:Id</c>.</summary>
    public string Text { get; }

    /// <summary>
    /// Several nodes: what the symbol's owner stores under this key replaces the other nodes' copies (the latest snapshot,
    /// quote, analysis — what any node's pages read). Off for what each node derives for itself (daily
    /// windows), which would only cost the network.
    /// </summary>
    public bool SharedAcrossNodes { get; init; }

    /// <summary>
    /// How long a value stays fresh when not its tier's time to live: for a value that cannot change under its key (it is
    /// keyed by what it was computed from, e.g. the completed days before a date), which a short tier would only have
    /// recomputed — on a live hub, from PostgreSQL in the middle of an analysis.
    /// </summary>
    public TimeSpan? TimeToLive
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value ?? TimeSpan.MaxValue, TimeSpan.Zero, nameof(TimeToLive));
            field = value;
        }
    }

    public override string ToString() => Text;
}

/// <summary>Tags shared by all modules, so one call can drop everything about a symbol.</summary>
public static class CacheTags
{
    public static string Symbol(string symbol) => $"symbol:{symbol.ToUpperInvariant()}";
}
