namespace HuiHui.Modules.Cache.Contracts;

/// <summary>
/// An entry this node's cache just stored under a key <see cref="CacheKey{T}.SharedAcrossNodes"/>, as the bytes both levels
/// keep. Several nodes: the owner of the symbol sends it to the others (the Cluster module, over Redis pub/sub), which
/// <see cref="ICacheReplica.Replace"/> their copy.
/// </summary>
/// <param name="Key">The key as stored (<c>Tier:Id</c>).</param>
/// <param name="Tier">Its tier (its time to live on the receiving node).</param>
/// <param name="Tags">Its tags.</param>
/// <param name="Payload">The value as UTF-8 JSON, or that JSON Brotli-compressed when <paramref name="JsonLength"/> is set.</param>
/// <param name="StoredAt">When the owner stored it.</param>
/// <param name="JsonLength">The JSON's length when <paramref name="Payload"/> is compressed (0: it is the JSON itself).</param>
public sealed record CacheEntryWritten(string Key, CacheTier Tier, IReadOnlyList<string> Tags, byte[] Payload, DateTimeOffset StoredAt, int JsonLength = 0);

/// <summary>Told of every entry the cache stores under a shared key. Called on the writer's thread: return at once.</summary>
public interface ICacheWriteListener
{
    void Written(CacheEntryWritten entry);
}

/// <summary>Takes another node's entry in place of this node's own.</summary>
public interface ICacheReplica
{
    /// <summary>
    /// Drops this node's value of <see cref="CacheEntryWritten.Key"/> from both levels and keeps the owner's bytes in memory,
    /// read (decompressed, deserialised) on first use; an entry older than the one held is ignored. Listeners are not told.
    /// </summary>
    void Replace(CacheEntryWritten entry);
}
