using HuiHui.Modules.Cache.Contracts;

namespace HuiHui.Modules.Cache.Memory;

/// <summary>A value in memory, with its serialized size and its freshness window.</summary>
internal sealed record MemoryEntry(
    string Key,
    object? Value,
    long Size,
    CacheTier Tier,
    DateTimeOffset StoredAt,
    DateTimeOffset FreshUntil,
    DateTimeOffset StaleUntil,
    IReadOnlyList<string> Tags);

/// <summary>
/// The memory level: a byte-capped map that evicts the least recently used entries, synchronously, to make room.
/// (Microsoft's MemoryCache refuses new entries while over its size limit and compacts later, which would drop the
/// newest values first; see docs/adr/0003.) Entries past their stale window are dropped when met.
/// </summary>
internal sealed class LruMemoryStore(long maxBytes, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<MemoryEntry>> entries = new(StringComparer.Ordinal);
    private readonly LinkedList<MemoryEntry> recency = new();
    private readonly Dictionary<string, HashSet<string>> keysByTag = new(StringComparer.Ordinal);
    private long bytes;
    private long evictions;

    public long MaxBytes => maxBytes;

    public long Bytes => Interlocked.Read(ref bytes);

    public long Evictions => Interlocked.Read(ref evictions);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>The entry (fresh or stale), now the most recently used; <c>null</c> when absent or past its stale window.</summary>
    public MemoryEntry? Get(string key) => Get(key, time.GetUtcNow());

    public MemoryEntry? Get(string key, DateTimeOffset now)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(key, out var node))
            {
                return null;
            }

            if (now >= node.Value.StaleUntil)
            {
                Unlink(node);
                return null;
            }

            if (!ReferenceEquals(recency.First, node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
            }

            return node.Value;
        }
    }

    /// <summary>The size counted for <paramref name="key"/>'s entry, without touching its recency; <c>null</c> when absent.</summary>
    public long? SizeOf(string key)
    {
        lock (gate)
        {
            return entries.TryGetValue(key, out var node) ? node.Value.Size : null;
        }
    }

    /// <summary>Counts <paramref name="size"/> for the entry of <paramref name="key"/> if it still holds <paramref name="value"/> (its recency unchanged).</summary>
    public void Resize(string key, object value, long size)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(key, out var node) || !ReferenceEquals(node.Value.Value, value) || node.Value.Size == size)
            {
                return;
            }

            bytes += size - node.Value.Size;
            node.Value = node.Value with { Size = size };
            while (bytes > maxBytes && recency.Last is { } coldest)
            {
                Unlink(coldest);
                evictions++;
            }
        }
    }

    /// <summary>Stores <paramref name="entry"/> as the most recently used, evicting from the cold end to fit. False when it alone exceeds the cap.</summary>
    public bool Set(MemoryEntry entry)
    {
        lock (gate)
        {
            if (entries.TryGetValue(entry.Key, out var existing))
            {
                Unlink(existing);
            }

            if (entry.Size > maxBytes)
            {
                return false;
            }

            entries[entry.Key] = recency.AddFirst(entry);
            bytes += entry.Size;
            foreach (var tag in entry.Tags)
            {
                if (!keysByTag.TryGetValue(tag, out var keys))
                {
                    keysByTag[tag] = keys = new HashSet<string>(StringComparer.Ordinal);
                }

                keys.Add(entry.Key);
            }

            while (bytes > maxBytes && recency.Last is { } coldest)
            {
                Unlink(coldest);
                evictions++;
            }

            return true;
        }
    }

    public bool Remove(string key)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(key, out var node))
            {
                return false;
            }

            Unlink(node);
            return true;
        }
    }

    public IReadOnlyList<string> RemoveByTag(string tag)
    {
        lock (gate)
        {
            if (!keysByTag.TryGetValue(tag, out var keys))
            {
                return [];
            }

            var removed = keys.ToList();
            foreach (var key in removed)
            {
                Unlink(entries[key]);
            }

            return removed;
        }
    }

    public bool Contains(string key)
    {
        lock (gate)
        {
            return entries.ContainsKey(key);
        }
    }

    private void Unlink(LinkedListNode<MemoryEntry> node)
    {
        var entry = node.Value;
        recency.Remove(node);
        entries.Remove(entry.Key);
        bytes -= entry.Size;
        foreach (var tag in entry.Tags)
        {
            if (keysByTag.TryGetValue(tag, out var keys) && keys.Remove(entry.Key) && keys.Count == 0)
            {
                keysByTag.Remove(tag);
            }
        }
    }
}
