using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Cluster.Redis;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace HuiHui.Tests.Cluster;

/// <summary>Two nodes' caches on a real Redis: the owner's shared entries replace the other's copy; nothing else travels.</summary>
public sealed class CacheReplicationTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    private RedisServer redis = null!;

    [OneTimeSetUp]
    public async Task StartRedis() => redis = await RedisServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopRedis() => await redis.DisposeAsync();

    [Test]
    public async Task TheOwnersSharedEntries_ReplaceTheOtherNodesCopies_CompressedOrNot_AndPerNodeEntriesStayHome()
    {
        await using var a = Node("node-a");
        await using var b = Node("node-b");
        await a.Get<CacheReplication>().StartAsync(CancellationToken.None);
        await b.Get<CacheReplication>().StartAsync(CancellationToken.None);
        var cacheA = a.Get<IEnhancedCache>();
        var cacheB = b.Get<IEnhancedCache>();

        // B holds an old snapshot of SPY; A (the owner) stores a new one: a chain of hundreds of kB, sent compressed.
        var market = new SimulatedMarket(Options.Create(new SimulatorOptions { HistoryDays = 20 }), TimeProvider.System);
        var old = market.Snapshot("SPY", 20L * TradingCalendar.MinutesPerDay);
        var fresh = market.Snapshot("SPY", (20L * TradingCalendar.MinutesPerDay) + 5);
        await cacheB.SetAsync(MarketDataKeys.Snapshot("SPY"), old);
        await Task.Delay(10); // the owner's entry is stored after B's
        await Poller.UntilAsync(async () => await SubscribedAsync(a, b), ready => ready, TimeSpan.FromSeconds(10), "both nodes subscribed");
        await cacheA.SetAsync(MarketDataKeys.Snapshot("SPY"), fresh);

        var seen = await Poller.UntilAsync(async () => await cacheB.TryGetAsync(MarketDataKeys.Snapshot("SPY")), v => v?.Value.AsOf == fresh.AsOf, TimeSpan.FromSeconds(10), "B's copy replaced");
        Assert.That(seen!.Value.Value.Contracts, Has.Count.EqualTo(fresh.Contracts.Count));
        Assert.That(seen.Value.Value.Contracts[7], Is.EqualTo(fresh.Contracts[7]), "the compressed JSON reads back to the same contracts");

        // A small shared entry travels as it is.
        var quoteKey = new CacheKey<Quote>(CacheTier.Raw, "quote:QQQ", CacheTags.Symbol("QQQ")) { SharedAcrossNodes = true };
        await cacheA.SetAsync(quoteKey, new Quote("QQQ", 512.25));
        var quote = await Poller.UntilAsync(async () => await cacheB.TryGetAsync(quoteKey), v => v is not null, TimeSpan.FromSeconds(10), "the small entry on B");
        Assert.That(quote!.Value.Value, Is.EqualTo(new Quote("QQQ", 512.25)));

        // What each node derives for itself is not sent: after a shared entry stored later has arrived, B still has no
        // copy of the unshared one.
        var marker = new CacheKey<Quote>(CacheTier.Raw, "quote:IWM", CacheTags.Symbol("IWM")) { SharedAcrossNodes = true };
        await cacheA.SetAsync(new CacheKey<Quote>(CacheTier.Enriched, $"metrics-like:{fresh.AsOf.UtcTicks}", CacheTags.Symbol("SPY")), new Quote("SPY", 1));
        await cacheA.SetAsync(marker, new Quote("IWM", 2));
        await Poller.UntilAsync(async () => await cacheB.TryGetAsync(marker), v => v is not null, TimeSpan.FromSeconds(10), "the marker on B");
        Assert.That(await cacheB.TryGetAsync(new CacheKey<Quote>(CacheTier.Enriched, $"metrics-like:{fresh.AsOf.UtcTicks}", CacheTags.Symbol("SPY"))), Is.Null);

        // An entry older than the one B holds does not replace it (B took the symbol over meanwhile).
        b.Get<ICacheReplica>().Replace(new CacheEntryWritten(quoteKey.Text, CacheTier.Raw, quoteKey.Tags,
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Quote("QQQ", 1.0), Web),
            DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.That((await cacheB.TryGetAsync(quoteKey))!.Value.Value.Price, Is.EqualTo(512.25));

        await a.Get<CacheReplication>().StopAsync(CancellationToken.None);
        await b.Get<CacheReplication>().StopAsync(CancellationToken.None);
    }

    [Test]
    public void TheWireForm_ReadsBackWhatWasWritten_AndRefusesAnotherVersion()
    {
        var entry = new CacheEntryWritten("Raw:snapshot:SPY", CacheTier.Raw, ["symbol:SPY"], new byte[10_000], DateTimeOffset.UnixEpoch.AddDays(20_000));
        var compressed = CacheMessage.Compress(entry);
        Assert.That(compressed.JsonLength, Is.EqualTo(10_000));
        Assert.That(compressed.Payload.Length, Is.LessThan(100), "ten thousand zeros compress");

        var (node, read) = CacheMessage.Read(CacheMessage.Write("node-a", compressed));

        Assert.That(node, Is.EqualTo("node-a"));
        Assert.That((read.Key, read.Tier, read.StoredAt, read.JsonLength), Is.EqualTo((entry.Key, entry.Tier, entry.StoredAt, 10_000)));
        Assert.That(read.Tags, Is.EqualTo(entry.Tags));
        Assert.That(read.Payload, Is.EqualTo(compressed.Payload));
        var other = CacheMessage.Write("node-a", compressed);
        other[0] = 9;
        Assert.Throws<FormatException>(() => CacheMessage.Read(other));
    }

    private static async Task<bool> SubscribedAsync(ModuleServices a, ModuleServices b)
    {
        var connection = await a.Get<RedisConnection>().GetAsync();
        var subscribers = await connection.GetServers()[0].SubscriptionSubscriberCountAsync(CacheReplication.Channel);
        return subscribers >= 2 && b.Get<RedisConnection>().IsConnected;
    }

    private ModuleServices Node(string id) => ModuleServices.BuildOnSystemClock(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Redis"] = redis.ConnectionString,
        ["HuiHui:Cluster:Enabled"] = "true",
        ["HuiHui:Cluster:NodeId"] = id,
        ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
    });
}
