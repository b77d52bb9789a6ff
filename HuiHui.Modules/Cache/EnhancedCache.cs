using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Cache.Disk;
using HuiHui.Modules.Cache.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Cache;

/// <summary>
/// The Enhanced Cache Manager. Reads: memory, then disk (promoting to memory). Misses: one factory run per key
/// however many callers wait (stampede protection), bounded by a timeout; when it fails, the last value is served
/// flagged stale while within the stale window (fail-safe). Writes go to memory at once and to disk behind
/// (<see cref="CacheOptions.DiskWriteDelay"/>): the newest value of each key is serialised and written once per delay, in
/// transactions of about <see cref="FlushChunkBytes"/> each — a snapshot replaced every second is not serialised and
/// written every second. Until it is on disk a value is read from the pending writes if memory has let it go. All time
/// comes from the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class EnhancedCache : IEnhancedCache, ICacheReplica, IDisposable
{
    /// <summary>The options every value is read and written with (web defaults); <see cref="CachedTypes"/> only add metadata.</summary>
    internal static readonly JsonSerializerOptions WebDefaults = new(JsonSerializerDefaults.Web);
    private static readonly CacheTier[] AllTiers = Enum.GetValues<CacheTier>();

    private readonly CacheOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<EnhancedCache> logger;
    private readonly LruMemoryStore memory;
    private readonly DiskLevel disk;
    /// <summary>
    /// Flights by key. Lazy: under contention GetOrAdd may build more than one value and keep one; a discarded Lazy never
    /// starts its flight, so the factory runs once.
    /// </summary>
    private readonly ConcurrentDictionary<string, Lazy<Task>> inflight = new(StringComparer.Ordinal);
    private readonly Meter meter;
    private readonly long[] memoryHits = new long[AllTiers.Length];
    private readonly long[] diskHits = new long[AllTiers.Length];
    private readonly long[] misses = new long[AllTiers.Length];
    private readonly long[] staleServes = new long[AllTiers.Length];
    private readonly ICacheWriteListener[] listeners;
    private readonly JsonSerializerOptions json;

    /// <summary>The newest value of each key not yet on disk (replaced, not queued, when written again).</summary>
    private readonly ConcurrentDictionary<string, PendingWrite> pendingWrites = new(StringComparer.Ordinal);
    private readonly Lock flushGate = new();
    private readonly ITimer? flushTimer;
    /// <summary>
    /// Where a flush serialises its values (under <see cref="flushGate"/>): one buffer reused round after round, so writing
    /// behind does not allocate a large array per value — which, per chain every few seconds, kept the large-object heap
    /// growing and fragmented. Written and emptied every <see cref="FlushChunkBytes"/>, so it stays about that size.
    /// </summary>
    private System.Buffers.ArrayBufferWriter<byte> flushBuffer = new();
    private Utf8JsonWriter? flushJson;

    /// <summary>How much a flush serialises before it writes those values in one transaction and reuses the buffer.</summary>
    internal const int FlushChunkBytes = 1024 * 1024;
    private long writeSequence;
    private long factoryFailures;
    private long factoryTimeouts;

    public EnhancedCache(IOptions<CacheOptions> options, TimeProvider time, CacheAlerts alerts, IMeterFactory meters, ILogger<EnhancedCache> logger,
        IEnumerable<ICacheWriteListener>? listeners = null, IEnumerable<CachedTypes>? cachedTypes = null)
    {
        this.listeners = listeners?.ToArray() ?? [];
        this.logger = logger;
        var contexts = cachedTypes?.Select(c => c.Resolver).ToArray() ?? [];
        json = contexts.Length == 0
            ? WebDefaults
            : new JsonSerializerOptions(WebDefaults) { TypeInfoResolver = JsonTypeInfoResolver.Combine([.. contexts, new DefaultJsonTypeInfoResolver()]) };
        json.MakeReadOnly();
        if (cachedTypes?.SelectMany(c => c.Types).ToArray() is { Length: > 0 } roots)
        {
            _ = Task.Run(() => PrepareMetadata(roots)); // beside the rest of the start (the disk level's open, the caller's own)
        }

        this.options = options.Value;
        this.time = time;
        memory = new LruMemoryStore(this.options.MemoryMaxBytes, time);
        disk = new DiskLevel(this.options, time, alerts, logger);
        meter = meters.Create("HuiHui.Cache");
        RegisterInstruments();
        if (this.options.DiskEnabled && this.options.DiskWriteDelay > TimeSpan.Zero)
        {
            flushTimer = time.CreateTimer(_ => FlushPendingWrites(), null, this.options.DiskWriteDelay, this.options.DiskWriteDelay);
        }
    }

    /// <summary>Configures the metadata of the cached root types (a first read or write then finds it ready, or waits for it).</summary>
    private void PrepareMetadata(Type[] roots)
    {
        foreach (var root in roots)
        {
            try
            {
                json.GetTypeInfo(root);
            }
            catch (Exception error) when (error is NotSupportedException or InvalidOperationException or ArgumentException)
            {
                LogMetadataNotPrepared(logger, root.Name, error.Message); // the first use of the type says the same, where it matters
            }
        }
    }

    internal LruMemoryStore Memory => memory;

    /// <summary>What the flush buffer holds room for (bounded: about <see cref="FlushChunkBytes"/> plus one value).</summary>
    internal int FlushBufferCapacity => flushBuffer.Capacity;

    /// <summary>What values are read and written with: web defaults, with the modules' <see cref="CachedTypes"/> first.</summary>
    internal JsonSerializerOptions SerializerOptions => json;

    internal DiskLevel Disk => disk;

    public ValueTask<CacheValue<T>> GetOrCreateAsync<T>(CacheKey<T> key, Func<CancellationToken, ValueTask<T>> factory, CancellationToken cancellationToken = default)
    {
        var found = Find(key);
        if (found is { IsStale: false } fresh)
        {
            CountHit(key.Tier, fresh.Level);
            return ValueTask.FromResult(fresh);
        }

        Interlocked.Increment(ref misses[(int)key.Tier]);
        return new ValueTask<CacheValue<T>>(JoinFactoryAsync(key, factory, found, cancellationToken));
    }

    public ValueTask<CacheValue<T>?> TryGetAsync<T>(CacheKey<T> key, CancellationToken cancellationToken = default)
    {
        var found = Find(key);
        if (found is { } value)
        {
            if (value.IsStale)
            {
                Interlocked.Increment(ref staleServes[(int)key.Tier]);
            }
            else
            {
                CountHit(key.Tier, value.Level);
            }
        }
        else
        {
            Interlocked.Increment(ref misses[(int)key.Tier]);
        }

        return ValueTask.FromResult(found);
    }

    public ValueTask SetAsync<T>(CacheKey<T> key, T value, CancellationToken cancellationToken = default)
    {
        Store(key, value, time.GetUtcNow());
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync<T>(CacheKey<T> key, CancellationToken cancellationToken = default)
    {
        pendingWrites.TryRemove(key.Text, out _);
        memory.Remove(key.Text);
        disk.Use(store => store.Remove(key.Text), false);
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        var removed = new HashSet<string>(memory.RemoveByTag(tag), StringComparer.Ordinal);
        foreach (var (key, write) in pendingWrites)
        {
            if (write.Tags.Contains(tag, StringComparer.Ordinal) && pendingWrites.TryRemove(key, out _))
            {
                removed.Add(key);
            }
        }

        removed.UnionWith(disk.Use(store => store.RemoveByTag(tag), []));
        return ValueTask.FromResult(removed.Count);
    }

    public void Replace(CacheEntryWritten entry)
    {
        if (memory.Get(entry.Key) is { } held && held.StoredAt > entry.StoredAt)
        {
            return; // ours is newer (the symbol moved here meanwhile)
        }

        var freshUntil = entry.StoredAt + options.TimeToLive(entry.Tier);
        memory.Set(new MemoryEntry(entry.Key, new Replicated(entry.Payload, entry.JsonLength), entry.Payload.LongLength, entry.Tier, entry.StoredAt, freshUntil, freshUntil + options.StaleWindow, entry.Tags));
        pendingWrites.TryRemove(entry.Key, out _);
        disk.Use(store => store.Remove(entry.Key), false);
    }

    public CacheStats GetStats()
    {
        var (diskCount, diskBytes, diskEvictions, diskHealthy) = disk.Snapshot();
        return new CacheStats(
            [.. AllTiers.Select(tier => new TierStats(
                tier,
                options.TimeToLive(tier),
                Interlocked.Read(ref memoryHits[(int)tier]),
                Interlocked.Read(ref diskHits[(int)tier]),
                Interlocked.Read(ref misses[(int)tier]),
                Interlocked.Read(ref staleServes[(int)tier])))],
            new LevelStats(memory.Count, memory.Bytes, memory.MaxBytes, memory.Evictions),
            new DiskStats(options.DiskEnabled, diskHealthy, disk.Problem, diskCount, diskBytes, options.DiskMaxBytes, diskEvictions, disk.CorruptDropped, Path.Combine(disk.Folder, SqliteDiskStore.FileName)),
            Interlocked.Read(ref factoryFailures),
            Interlocked.Read(ref factoryTimeouts));
    }

    /// <summary>
    /// Writes the pending values to disk now, oldest first, in transactions of about <see cref="FlushChunkBytes"/> (the
    /// timer's work; also at shutdown). A value replaced meanwhile stays pending for the next round.
    /// </summary>
    public void FlushPendingWrites()
    {
        lock (flushGate)
        {
            try
            {
                WritePending();
            }
            catch (Exception exception)
            {
                LogFlushFailed(logger, exception); // the disk level degrades by itself on disk faults; anything else must not stop the timer
            }
        }
    }

    public void Dispose()
    {
        flushTimer?.Dispose();
        FlushPendingWrites();
        flushJson?.Dispose();
        disk.Dispose();
        meter.Dispose();
    }

    /// <summary>The value in memory or on disk, fresh or (within the stale window) stale; <c>null</c> otherwise. Counts nothing.</summary>
    /// <remarks>No lambda here: a captured parameter would allocate a closure on every call, hits included.</remarks>
    private CacheValue<T>? Find<T>(CacheKey<T> key)
    {
        var now = time.GetUtcNow();
        if (memory.Get(key.Text, now) is not { } inMemory)
        {
            return pendingWrites.TryGetValue(key.Text, out var pending) && now < pending.StaleUntil
                ? new CacheValue<T>((T)pending.Value, now >= pending.FreshUntil, pending.StoredAt, CacheLevel.Memory)
                : FindOnDisk(key, now);
        }

        if (inMemory.Value is Replicated replicated)
        {
            return Materialise(key, inMemory, replicated, now);
        }

        return new CacheValue<T>((T)inMemory.Value!, now >= inMemory.FreshUntil, inMemory.StoredAt, CacheLevel.Memory);
    }

    /// <summary>Another node's entry, read on first use and kept as the value from then on.</summary>
    private CacheValue<T>? Materialise<T>(CacheKey<T> key, MemoryEntry entry, Replicated replicated, DateTimeOffset now)
    {
        T value;
        byte[]? rented = null;
        try
        {
            var bytes = replicated.Payload.AsSpan();
            if (replicated.JsonLength > 0)
            {
                rented = System.Buffers.ArrayPool<byte>.Shared.Rent(replicated.JsonLength);
                if (!System.IO.Compression.BrotliDecoder.TryDecompress(replicated.Payload, rented, out var written) || written != replicated.JsonLength)
                {
                    throw new JsonException($"the compressed entry does not give its {replicated.JsonLength} bytes");
                }

                bytes = rented.AsSpan(0, written);
            }

            value = JsonSerializer.Deserialize<T>(bytes, json)!;
        }
        catch (JsonException exception)
        {
            LogCorruptEntry(logger, exception, key.Text);
            memory.Remove(key.Text);
            return null;
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }

        memory.Set(entry with { Value = value });
        return new CacheValue<T>(value, now >= entry.FreshUntil, entry.StoredAt, CacheLevel.Memory);
    }

    private CacheValue<T>? FindOnDisk<T>(CacheKey<T> key, DateTimeOffset now)
    {
        var onDisk = disk.Use(store => store.Get(key.Text), null);
        if (onDisk is null)
        {
            return null;
        }

        T value;
        try
        {
            value = JsonSerializer.Deserialize<T>(onDisk.Payload.Span, json)!;
        }
        catch (JsonException exception)
        {
            LogCorruptEntry(logger, exception, key.Text);
            disk.CountCorruptEntry();
            disk.Use(store => store.Remove(key.Text), false);
            return null;
        }

        memory.Set(new MemoryEntry(key.Text, value, onDisk.Payload.Length, key.Tier, onDisk.StoredAt, onDisk.FreshUntil, onDisk.StaleUntil, onDisk.Tags));
        return new CacheValue<T>(value, now >= onDisk.FreshUntil, onDisk.StoredAt, CacheLevel.Disk);
    }

    private async Task<CacheValue<T>> JoinFactoryAsync<T>(CacheKey<T> key, Func<CancellationToken, ValueTask<T>> factory, CacheValue<T>? stale, CancellationToken cancellationToken)
    {
        // The first caller starts the flight; everyone else, including later arrivals, awaits the same task.
        // The flight runs on its own timeout, not on any caller's token: one caller giving up does not fail the others.
        var flight = inflight.GetOrAdd(
            key.Text,
            static (_, state) => new Lazy<Task>(() => state.Cache.FlyAsync(state.Key, state.Factory, state.Stale), LazyThreadSafetyMode.ExecutionAndPublication),
            (Cache: this, Key: key, Factory: factory, Stale: stale));
        return await ((Task<CacheValue<T>>)flight.Value).WaitAsync(cancellationToken);
    }

    private async Task<CacheValue<T>> FlyAsync<T>(CacheKey<T> key, Func<CancellationToken, ValueTask<T>> factory, CacheValue<T>? stale)
    {
        await Task.Yield(); // leave GetOrAdd before running user code
        try
        {
            // A flight that just landed may have stored the value between our miss and this flight.
            if (Find(key) is { IsStale: false } landed)
            {
                return landed;
            }

            using var timeout = new CancellationTokenSource(options.FactoryTimeout, time);
            try
            {
                var value = await factory(timeout.Token).AsTask().WaitAsync(options.FactoryTimeout, time, CancellationToken.None);
                var now = time.GetUtcNow();
                Store(key, value, now);
                return new CacheValue<T>(value, false, now, CacheLevel.Factory);
            }
            catch (Exception exception) when (exception is TimeoutException || (exception is OperationCanceledException && timeout.IsCancellationRequested))
            {
                Interlocked.Increment(ref factoryTimeouts);
                return ServeStaleOr(key, stale, exception, new TimeoutException($"Producing {key} took longer than {options.FactoryTimeout}.", exception));
            }
            catch (Exception exception)
            {
                Interlocked.Increment(ref factoryFailures);
                return ServeStaleOr(key, stale, exception, null);
            }
        }
        finally
        {
            inflight.TryRemove(key.Text, out _);
        }
    }

    private CacheValue<T> ServeStaleOr<T>(CacheKey<T> key, CacheValue<T>? stale, Exception failure, Exception? replacement)
    {
        if ((stale ?? Find(key)) is { } last)
        {
            LogServingStale(logger, failure, key.Text, last.StoredAt);
            Interlocked.Increment(ref staleServes[(int)key.Tier]);
            return last with { IsStale = true };
        }

        if (replacement is not null)
        {
            throw replacement;
        }

        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        throw failure; // unreachable
    }

    private void Store<T>(CacheKey<T> key, T value, DateTimeOffset now)
    {
        var freshUntil = now + (key.TimeToLive ?? options.TimeToLive(key.Tier));
        var staleUntil = freshUntil + options.StaleWindow;
        var replicate = listeners.Length > 0 && key.SharedAcrossNodes;
        var behind = flushTimer is not null;

        // The memory cap counts serialised sizes. Written behind, a value is serialised when it goes to disk; until then it
        // counts as its key's previous value did (the flush corrects it). A key seen for the first time is serialised now.
        var estimate = behind && !replicate ? memory.SizeOf(key.Text) : null;
        var payload = estimate is null ? Serializer<T>.ToBytes(value!, json) : null;
        memory.Set(new MemoryEntry(key.Text, value, payload?.LongLength ?? estimate!.Value, key.Tier, now, freshUntil, staleUntil, key.Tags));
        if (behind)
        {
            pendingWrites[key.Text] = new PendingWrite(key.Text, value!, Serializer<T>.Write, payload, key.Tier, now, freshUntil, staleUntil, key.Tags, Interlocked.Increment(ref writeSequence));
        }
        else
        {
            disk.Use(store => { store.Put(key.Text, new DiskEntry(payload!, key.Tier, now, freshUntil, staleUntil, key.Tags)); return true; }, false);
        }

        if (replicate)
        {
            var written = new CacheEntryWritten(key.Text, key.Tier, key.Tags, payload!, now);
            foreach (var listener in listeners)
            {
                listener.Written(written);
            }
        }
    }

    private void WritePending()
    {
        if (pendingWrites.IsEmpty)
        {
            return;
        }

        var now = time.GetUtcNow();
        var taken = new List<(PendingWrite Write, int Start, int Length)>();
        flushBuffer.ResetWrittenCount();
        // In the order written: the disk level's recency (what it evicts first) follows it.
        foreach (var write in pendingWrites.Values.OrderBy(w => w.Sequence))
        {
            if (now >= write.StaleUntil)
            {
                pendingWrites.TryRemove(new KeyValuePair<string, PendingWrite>(write.Key, write));
                continue;
            }

            if (write.Payload is { } serialised)
            {
                memory.Resize(write.Key, write.Value, serialised.Length);
                taken.Add((write, -1, serialised.Length));
                continue;
            }

            var start = flushBuffer.WrittenCount;
            try
            {
                if (flushJson is null)
                {
                    flushJson = new Utf8JsonWriter(flushBuffer);
                }
                else
                {
                    flushJson.Reset(flushBuffer); // also drops what a failed value left half-written
                }

                write.Serialize(flushJson, write.Value, json);
                flushJson.Flush();
            }
            catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
            {
                // What it wrote before failing stays in the buffer unread: only the spans of the values taken are written.
                LogUnserialisable(logger, exception, write.Key);
                pendingWrites.TryRemove(new KeyValuePair<string, PendingWrite>(write.Key, write));
                continue;
            }

            var length = flushBuffer.WrittenCount - start;
            memory.Resize(write.Key, write.Value, length);
            taken.Add((write, start, length));
            if (flushBuffer.WrittenCount >= FlushChunkBytes)
            {
                WriteChunk(taken);
            }
        }

        WriteChunk(taken);
        if (flushBuffer.Capacity > 4 * FlushChunkBytes)
        {
            flushBuffer = new System.Buffers.ArrayBufferWriter<byte>(); // one outsized value grew it: not kept for good
        }
    }

    /// <summary>
    /// Writes the values serialised so far in one transaction, then empties the buffer for the next chunk: a flush of
    /// fifty chains writes a few chunks rather than holding all of them in one buffer (which grew to 32 MB and stayed).
    /// </summary>
    private void WriteChunk(List<(PendingWrite Write, int Start, int Length)> taken)
    {
        if (taken.Count == 0)
        {
            return;
        }

        // The spans are cut only now: the buffer may have grown (moved) while the chunk was serialised.
        var written = flushBuffer.WrittenMemory;
        var batch = taken.ConvertAll(t => (t.Write.Key, new DiskEntry(t.Start < 0 ? t.Write.Payload : written.Slice(t.Start, t.Length), t.Write.Tier, t.Write.StoredAt, t.Write.FreshUntil, t.Write.StaleUntil, t.Write.Tags)));
        disk.Use(store => { store.PutMany(batch); return true; }, false);

        // Only now (a reader that misses memory finds the value pending until it is on disk); a newer write stays pending.
        foreach (var (write, _, _) in taken)
        {
            pendingWrites.TryRemove(new KeyValuePair<string, PendingWrite>(write.Key, write));
        }

        taken.Clear();
        flushBuffer.ResetWrittenCount();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the cache's pending values to disk failed; they stay pending")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The cache value under {Key} cannot be serialised; it stays in memory only")]
    private static partial void LogUnserialisable(ILogger logger, Exception exception, string key);

    /// <summary>A value waiting for the disk, with how to serialise it (its payload when already serialised).</summary>
    private sealed record PendingWrite(
        string Key, object Value, Action<Utf8JsonWriter, object, JsonSerializerOptions> Serialize, byte[]? Payload, CacheTier Tier,
        DateTimeOffset StoredAt, DateTimeOffset FreshUntil, DateTimeOffset StaleUntil, IReadOnlyList<string> Tags, long Sequence);

    /// <summary>One serialiser delegate per value type (no closure per write).</summary>
    private static class Serializer<T>
    {
        public static readonly Func<object, JsonSerializerOptions, byte[]> ToBytes = (value, options) => JsonSerializer.SerializeToUtf8Bytes((T)value, options);

        public static readonly Action<Utf8JsonWriter, object, JsonSerializerOptions> Write = (writer, value, options) => JsonSerializer.Serialize(writer, (T)value, options);
    }

    /// <summary>Another node's bytes (Brotli-compressed JSON when <see cref="JsonLength"/> is set), not yet read into a value.</summary>
    private sealed record Replicated(byte[] Payload, int JsonLength);

    private void CountHit(CacheTier tier, CacheLevel level) =>
        Interlocked.Increment(ref level == CacheLevel.Disk ? ref diskHits[(int)tier] : ref memoryHits[(int)tier]);

    private void RegisterInstruments()
    {
        meter.CreateObservableCounter("huihui.cache.hits", () => AllTiers.SelectMany(tier => new[]
        {
            new Measurement<long>(Interlocked.Read(ref memoryHits[(int)tier]), new("tier", tier.ToString()), new("level", "memory")),
            new Measurement<long>(Interlocked.Read(ref diskHits[(int)tier]), new("tier", tier.ToString()), new("level", "disk")),
        }), description: "Cache hits by tier and level");
        meter.CreateObservableCounter("huihui.cache.misses", () => AllTiers.Select(tier =>
            new Measurement<long>(Interlocked.Read(ref misses[(int)tier]), new KeyValuePair<string, object?>("tier", tier.ToString()))), description: "Cache misses by tier");
        meter.CreateObservableCounter("huihui.cache.stale_serves", () => AllTiers.Select(tier =>
            new Measurement<long>(Interlocked.Read(ref staleServes[(int)tier]), new KeyValuePair<string, object?>("tier", tier.ToString()))), description: "Stale values served by tier");
        meter.CreateObservableCounter<long>("huihui.cache.evictions", () =>
        (IEnumerable<Measurement<long>>)[
            new Measurement<long>(memory.Evictions, new KeyValuePair<string, object?>("level", "memory")),
            new Measurement<long>(disk.Snapshot().Evictions, new KeyValuePair<string, object?>("level", "disk")),
        ], description: "Entries evicted to respect a level's cap");
        meter.CreateObservableUpDownCounter<long>("huihui.cache.bytes", () =>
        (IEnumerable<Measurement<long>>)[
            new Measurement<long>(memory.Bytes, new KeyValuePair<string, object?>("level", "memory")),
            new Measurement<long>(disk.Snapshot().Bytes, new KeyValuePair<string, object?>("level", "disk")),
        ], unit: "By", description: "Payload bytes held per level");
        meter.CreateObservableUpDownCounter<long>("huihui.cache.entries", () =>
        (IEnumerable<Measurement<long>>)[
            new Measurement<long>(memory.Count, new KeyValuePair<string, object?>("level", "memory")),
            new Measurement<long>(disk.Snapshot().Count, new KeyValuePair<string, object?>("level", "disk")),
        ], description: "Entries held per level");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The JSON metadata of cached {Type} could not be prepared: {Reason}")]
    private static partial void LogMetadataNotPrepared(ILogger logger, string type, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped unreadable disk cache entry {Key}")]
    private static partial void LogCorruptEntry(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing {Key} failed; serving the value stored at {StoredAt} as stale")]
    private static partial void LogServingStale(ILogger logger, Exception exception, string key, DateTimeOffset storedAt);
}
