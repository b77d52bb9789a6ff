using System.Threading.Channels;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace HuiHui.Modules.Cluster.Redis;

/// <summary>
/// Keeps every node's cache as fresh as the symbol owner's: each symbol entry this node stores is published on the Redis
/// channel <c>huihui:cache</c>; every other node replaces its own copy with it (<see cref="ICacheReplica"/>). Redis pub/sub
/// rather than PostgreSQL <c>NOTIFY</c>: LISTEN needs a session of its own, which a transaction-mode pooler (PgBouncer,
/// Supabase) does not give, and the entries (tens to hundreds of kB) stay off the database. Publishing never waits: entries
/// queue (newest kept, oldest dropped and counted) and are sent in the background; while Redis is down they are dropped
/// and the other nodes serve what they hold (flagged stale after its time to live) until the next entry arrives.
/// </summary>
internal sealed partial class CacheReplication(RedisConnection redis, CacheOutbox outbox, ICacheReplica cache, ISymbolLeases leases, ILogger<CacheReplication> logger)
    : BackgroundService
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("huihui:cache");

    private long sent;
    private long received;

    public long Sent => Interlocked.Read(ref sent);

    public long Received => Interlocked.Read(ref received);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connection = await redis.GetAsync();
        var subscriber = connection.GetSubscriber();
        await SubscribeAsync(subscriber, stoppingToken);

        await foreach (var entry in outbox.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await subscriber.PublishAsync(Channel, CacheMessage.Write(leases.NodeId, CacheMessage.Compress(entry)));
                Interlocked.Increment(ref sent);
            }
            catch (Exception error) when (error is RedisException or TimeoutException or ObjectDisposedException)
            {
                CacheOutbox.CountDropped();
                LogPublishFailed(logger, entry.Key, error.Message);
            }
        }
    }

    /// <summary>Subscribes, retrying while Redis is down at start (the multiplexer re-subscribes by itself after a reconnect).</summary>
    private async Task SubscribeAsync(ISubscriber subscriber, CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await subscriber.SubscribeAsync(Channel, (_, message) => Receive(message));
                return;
            }
            catch (Exception error) when (error is RedisException or TimeoutException)
            {
                if (attempt == 10)
                {
                    LogSubscribeFailed(logger, error.Message); // said once, after the first seconds of connecting
                }

                await Task.Delay(TimeSpan.FromMilliseconds(attempt < 10 ? 200 : 1000), stoppingToken);
            }
        }
    }

    private void Receive(RedisValue message)
    {
        try
        {
            var (node, entry) = CacheMessage.Read((byte[])message!);
            if (node == leases.NodeId)
            {
                return;
            }

            cache.Replace(entry);
            Interlocked.Increment(ref received);
        }
        catch (Exception error) when (error is EndOfStreamException or IOException or ArgumentException or FormatException)
        {
            LogUnreadable(logger, error);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not publish {Key} to the other nodes: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, string key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to the other nodes' cache entries yet: {Reason}")]
    private static partial void LogSubscribeFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped an unreadable cache message from another node")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);
}

/// <summary>The entries this node's cache stored, waiting to be published: bounded, the oldest dropped (and counted) when full.</summary>
internal sealed class CacheOutbox : ICacheWriteListener
{
    private readonly Channel<CacheEntryWritten> entries = System.Threading.Channels.Channel.CreateBounded<CacheEntryWritten>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
        _ => Interlocked.Increment(ref droppedCount));

    private static long droppedCount;

    public ChannelReader<CacheEntryWritten> Reader => entries.Reader;

    /// <summary>Entries never sent (the queue was full, or Redis refused them).</summary>
    public static long Dropped => Interlocked.Read(ref droppedCount);

    public void Written(CacheEntryWritten entry) => entries.Writer.TryWrite(entry);

    public static void CountDropped() => Interlocked.Increment(ref droppedCount);
}

/// <summary>The wire form of a replicated entry: version byte, node, key, tier, stored-at, tags, JSON length, payload.</summary>
internal static class CacheMessage
{
    private const byte Version = 2;

    /// <summary>Entries smaller than this travel as they are; larger ones Brotli-compressed (quality 1: fast, about 8× on a chain).</summary>
    public const int CompressFrom = 4096;

    /// <summary>
    /// The entry with its JSON Brotli-compressed (a chain of a thousand contracts: hundreds of kB → tens), so the message
    /// and what the other nodes keep until it is read stay small, off the large-object heap.
    /// </summary>
    public static CacheEntryWritten Compress(CacheEntryWritten entry)
    {
        if (entry.JsonLength > 0 || entry.Payload.Length < CompressFrom)
        {
            return entry;
        }

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(System.IO.Compression.BrotliEncoder.GetMaxCompressedLength(entry.Payload.Length));
        try
        {
            return System.IO.Compression.BrotliEncoder.TryCompress(entry.Payload, buffer, out var written, quality: 1, window: 22)
                ? entry with { Payload = buffer.AsSpan(0, written).ToArray(), JsonLength = entry.Payload.Length }
                : entry;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static byte[] Write(string node, CacheEntryWritten entry)
    {
        using var buffer = new MemoryStream(entry.Payload.Length + 256);
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(node);
            writer.Write(entry.Key);
            writer.Write((int)entry.Tier);
            writer.Write(entry.StoredAt.UtcTicks);
            writer.Write(entry.Tags.Count);
            foreach (var tag in entry.Tags)
            {
                writer.Write(tag);
            }

            writer.Write(entry.JsonLength);
            writer.Write(entry.Payload.Length);
            writer.Write(entry.Payload);
        }

        return buffer.ToArray();
    }

    public static (string Node, CacheEntryWritten Entry) Read(byte[] message)
    {
        using var reader = new BinaryReader(new MemoryStream(message), System.Text.Encoding.UTF8);
        var version = reader.ReadByte();
        if (version != Version)
        {
            throw new FormatException($"cache message version {version}, expected {Version}");
        }

        var node = reader.ReadString();
        var key = reader.ReadString();
        var tier = (CacheTier)reader.ReadInt32();
        var storedAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
        var tags = new string[reader.ReadInt32()];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = reader.ReadString();
        }

        var jsonLength = reader.ReadInt32();
        var payload = reader.ReadBytes(reader.ReadInt32());
        return (node, new CacheEntryWritten(key, tier, tags, payload, storedAt, jsonLength));
    }
}
