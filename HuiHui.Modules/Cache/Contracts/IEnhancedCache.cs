namespace HuiHui.Modules.Cache.Contracts;

/// <summary>
/// The Enhanced Cache Manager: memory (byte-capped, least recently used evicted first) over disk
/// (survives restarts, byte-capped), with per-tier time to live, stampede protection, fail-safe and factory timeouts.
/// </summary>
public interface IEnhancedCache
{
    /// <summary>
    /// The fresh value, else the factory's (run once however many callers miss together). When the factory fails
    /// or times out and a value is still within the stale window, that value is returned with <see cref="CacheValue{T}.IsStale"/>;
    /// otherwise the failure propagates (a timeout as <see cref="TimeoutException"/>).
    /// </summary>
    ValueTask<CacheValue<T>> GetOrCreateAsync<T>(CacheKey<T> key, Func<CancellationToken, ValueTask<T>> factory, CancellationToken cancellationToken = default);

    /// <summary>The value if present: fresh, or stale (flagged) within the stale window; otherwise <c>null</c>.</summary>
    ValueTask<CacheValue<T>?> TryGetAsync<T>(CacheKey<T> key, CancellationToken cancellationToken = default);

    ValueTask SetAsync<T>(CacheKey<T> key, T value, CancellationToken cancellationToken = default);

    ValueTask RemoveAsync<T>(CacheKey<T> key, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry carrying <paramref name="tag"/> from both levels; returns how many keys it removed.</summary>
    ValueTask<int> RemoveByTagAsync(string tag, CancellationToken cancellationToken = default);

    CacheStats GetStats();
}

/// <summary>Where a value came from.</summary>
public enum CacheLevel
{
    Memory,
    Disk,
    Factory,
}

/// <param name="Value">The value.</param>
/// <param name="IsStale">Past its time to live, served because refreshing it failed (or by <see cref="IEnhancedCache.TryGetAsync{T}"/>).</param>
/// <param name="StoredAt">When the value was produced.</param>
/// <param name="Level">Where it was found.</param>
public readonly record struct CacheValue<T>(T Value, bool IsStale, DateTimeOffset StoredAt, CacheLevel Level);
