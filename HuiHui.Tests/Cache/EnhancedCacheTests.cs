using HuiHui.Modules.Cache.Contracts;
using HuiHui.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace HuiHui.Tests.Cache;

public sealed class EnhancedCacheTests : DatabaseTest
{
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    [Test]
    public async Task KeyWithItsOwnTimeToLive_StaysFreshPastItsTier_AndExpiresAfterItsOwn_AlsoFromDisk()
    {
        var folder = CacheHarness.NewFolder();
        var key = new CacheKey<Quote>(CacheTier.Enriched, "history:SPY:20261124") { TimeToLive = TimeSpan.FromHours(1) };
        var calls = 0;
        ValueTask<Quote> Compute(CancellationToken _) { calls++; return ValueTask.FromResult(new Quote("SPY", 500 + calls)); }

        await using (var harness = CacheHarness.Create(folder))
        {
            await harness.Cache.GetOrCreateAsync(key, Compute);
            harness.Time.Advance(TimeSpan.FromMinutes(59)); // the enriched tier's minute long past
            Assert.That((await harness.Cache.GetOrCreateAsync(key, Compute)).Value.Price, Is.EqualTo(501));
        }

        await using (var restarted = CacheHarness.Create(folder, time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(ModuleServices.Start + TimeSpan.FromMinutes(59))))
        {
            var read = (await restarted.Cache.TryGetAsync(key))!.Value;
            Assert.That((read.Value.Price, read.IsStale, read.Level), Is.EqualTo((501.0, false, CacheLevel.Disk)), "its freshness was stored with it");
            restarted.Time.Advance(TimeSpan.FromMinutes(2)); // 61 min
            Assert.That((await restarted.Cache.GetOrCreateAsync(key, Compute)).Value.Price, Is.EqualTo(502), "expired after its own hour");
        }

        Assert.That(calls, Is.EqualTo(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CacheKey<Quote>(CacheTier.Raw, "x") { TimeToLive = TimeSpan.Zero });
    }

    [Test]
    public async Task GetOrCreate_EachTierExpiresAfterItsOwnTimeToLive()
    {
        await using var harness = CacheHarness.Create();
        var calls = new Dictionary<CacheTier, int> { [CacheTier.Raw] = 0, [CacheTier.Enriched] = 0, [CacheTier.ExpertResponse] = 0 };
        async Task Touch(CacheTier tier) =>
            await harness.Cache.GetOrCreateAsync(new CacheKey<Quote>(tier, "SPY"), _ => { calls[tier]++; return ValueTask.FromResult(new Quote("SPY", 500)); });
        async Task TouchAll()
        {
            foreach (var tier in calls.Keys.ToList())
            {
                await Touch(tier);
            }
        }

        await TouchAll();
        harness.Time.Advance(TimeSpan.FromSeconds(29));
        await TouchAll();
        Assert.That(calls.Values, Is.All.EqualTo(1), "all three tiers fresh at 29 s");

        harness.Time.Advance(TimeSpan.FromSeconds(2)); // 31 s
        await TouchAll();
        Assert.That(calls, Is.EqualTo(new Dictionary<CacheTier, int> { [CacheTier.Raw] = 1, [CacheTier.Enriched] = 1, [CacheTier.ExpertResponse] = 2 }));

        harness.Time.Advance(TimeSpan.FromSeconds(30)); // 61 s
        await Touch(CacheTier.Enriched);
        await Touch(CacheTier.Raw);
        Assert.That((calls[CacheTier.Raw], calls[CacheTier.Enriched]), Is.EqualTo((1, 2)), "enriched expires after 1 min, raw does not");

        harness.Time.Advance(TimeSpan.FromSeconds(240)); // 301 s
        await Touch(CacheTier.Raw);
        Assert.That(calls[CacheTier.Raw], Is.EqualTo(2), "raw expires after 5 min");
    }

    [Test]
    public async Task MemoryCap_HoldsWhenTwiceTheCapIsWritten_AndKeepsTheMostRecentlyUsed()
    {
        const int cap = 64 * 1024;
        await using var harness = CacheHarness.Create(settings: new Dictionary<string, string?>
        {
            ["HuiHui:Cache:MemoryMaxBytes"] = cap.ToString(),
            ["HuiHui:Cache:DiskEnabled"] = "false",
        });
        var keys = Enumerable.Range(0, 150).Select(i => new CacheKey<Quote>(CacheTier.Raw, $"q{i}")).ToArray();

        long written = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            await harness.Cache.SetAsync(keys[i], Quote.Sized(i, 1000));
            written += 1050;
            if (i >= 59 && i % 30 == 29)
            {
                await harness.Cache.TryGetAsync(keys[0]); // keep q0 hot
            }
        }

        var memory = harness.Cache.Memory;
        Assert.That(written, Is.GreaterThan(2 * cap));
        Assert.That(memory.Bytes, Is.LessThanOrEqualTo(cap));
        Assert.That(memory.Contains(keys[0].Text), Is.True, "the entry read all along survives (least recently used goes first, not oldest written)");
        Assert.That(keys[^50..].All(k => memory.Contains(k.Text)), Is.True, "the 50 most recent writes survive");
        Assert.That(keys[1..60].Any(k => memory.Contains(k.Text)), Is.False, "cold early entries were evicted");
        Assert.That(harness.Cache.GetStats().Memory.Evictions, Is.EqualTo(keys.Length - memory.Count), "every entry not in memory was evicted, and counted");
    }

    [Test]
    public async Task DiskCap_HoldsWhenTwiceTheCapIsWritten_AndEvictedMemoryEntriesAreServedFromDisk()
    {
        const int diskCap = 256 * 1024;
        await using var harness = CacheHarness.Create(settings: new Dictionary<string, string?>
        {
            ["HuiHui:Cache:MemoryMaxBytes"] = (16 * 1024).ToString(),
            ["HuiHui:Cache:DiskMaxBytes"] = diskCap.ToString(),
        });
        var keys = Enumerable.Range(0, 500).Select(i => new CacheKey<Quote>(CacheTier.Raw, $"q{i}")).ToArray();

        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            await harness.Cache.SetAsync(key, Quote.Sized(i, 1000));
        }

        harness.Cache.FlushPendingWrites();
        var stats = harness.Cache.GetStats();
        Assert.That(stats.Disk.Bytes, Is.LessThanOrEqualTo(diskCap));
        Assert.That(stats.Disk.Evictions, Is.GreaterThan(200));
        var recent = await harness.Cache.TryGetAsync(keys[^100]);
        Assert.That(recent?.Level, Is.EqualTo(CacheLevel.Disk), "evicted from memory, still on disk");
        Assert.That(recent?.Value.Price, Is.EqualTo(400));
        Assert.That(await harness.Cache.TryGetAsync(keys[0]), Is.Null, "the oldest were evicted from disk too");
        Assert.That(new FileInfo(Path.Combine(harness.Folder, "cache.db")).Length, Is.LessThanOrEqualTo(diskCap * 2), "freed pages go back to the file system");
    }

    [Test]
    public async Task Writes_GoToDiskBehind_TheNewestValueOncePerDelay_AndAreReadableMeanwhile()
    {
        await using var harness = CacheHarness.Create(settings: new Dictionary<string, string?> { ["HuiHui:Cache:DiskWriteDelay"] = "00:00:05" });
        var spy = new CacheKey<Quote>(CacheTier.Raw, "snapshot:SPY", CacheTags.Symbol("SPY"));
        var qqq = new CacheKey<Quote>(CacheTier.Raw, "snapshot:QQQ", CacheTags.Symbol("QQQ"));
        for (var i = 0; i < 10; i++)
        {
            await harness.Cache.SetAsync(spy, new Quote("SPY", 500 + i));
            harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        }

        await harness.Cache.SetAsync(qqq, new Quote("QQQ", 400));
        var onDiskBefore = harness.Cache.GetStats().Disk.Entries;
        harness.Cache.Memory.Remove(spy.Text);
        var pending = await harness.Cache.TryGetAsync(spy);
        Assert.That(await harness.Cache.RemoveByTagAsync(CacheTags.Symbol("QQQ")), Is.EqualTo(1), "a value only pending is removed by its tag too");

        harness.Time.Advance(TimeSpan.FromSeconds(5)); // the delay passes: the timer writes what is pending, in one transaction
        var disk = harness.Cache.GetStats().Disk;
        harness.Cache.Memory.Remove(spy.Text);
        var fromDisk = await harness.Cache.TryGetAsync(spy);

        Assert.That(onDiskBefore, Is.Zero, "nothing written through");
        Assert.That((pending?.Level, pending?.Value.Price), Is.EqualTo((CacheLevel.Memory, 509d)), "let go by memory, still served from the pending writes");
        Assert.That(disk.Entries, Is.EqualTo(1), "ten writes of one key became one row; the removed key never reached the disk");
        Assert.That((fromDisk?.Level, fromDisk?.Value.Price), Is.EqualTo((CacheLevel.Disk, 509d)), "the newest value");
        Assert.That(await harness.Cache.TryGetAsync(qqq), Is.Null);
    }

    [Test]
    public async Task ValuesSerialisedAtTheFlush_ReachTheDiskWhole_AcrossRoundsAndSizes()
    {
        // Replaced values are serialised at the flush, one after another into one reused buffer that grows mid-batch;
        // each row must get exactly its own bytes, round after round, and a restart must read every one back.
        var folder = CacheHarness.NewFolder();
        var keys = Enumerable.Range(0, 40).Select(i => new CacheKey<Quote>(CacheTier.Raw, $"chain:{i}")).ToArray();
        await using (var before = CacheHarness.Create(folder))
        {
            for (var round = 0; round < 3; round++)
            {
                foreach (var (key, i) in keys.Select((k, i) => (k, i)))
                {
                    await before.Cache.SetAsync(key, Quote.Sized(i, ((i * 7919) + (round * 104729)) % 200_000) with { Price = (round * 1000) + i });
                }

                before.Cache.FlushPendingWrites();
            }
        }

        await using var after = CacheHarness.Create(folder);
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            var found = await after.Cache.TryGetAsync(key);
            Assert.That(found?.Level, Is.EqualTo(CacheLevel.Disk), key.Text);
            Assert.That((found?.Value.Price, found?.Value.Pad.Length), Is.EqualTo(((double?)2000 + i, (int?)(((i * 7919) + (2 * 104729)) % 200_000))), key.Text);
        }
    }

    [Test]
    public async Task ABatchLargerThanTheDiskCap_KeepsItsNewest_AndLeavesNoOlderCopyOfWhatItDropped()
    {
        const int diskCap = 64 * 1024;
        await using var harness = CacheHarness.Create(settings: new Dictionary<string, string?>
        {
            ["HuiHui:Cache:MemoryMaxBytes"] = (8 * 1024).ToString(),
            ["HuiHui:Cache:DiskMaxBytes"] = diskCap.ToString(),
        });
        var first = new CacheKey<Quote>(CacheTier.Raw, "first");
        await harness.Cache.SetAsync(first, new Quote("first", 1));
        harness.Cache.FlushPendingWrites();

        await harness.Cache.SetAsync(first, Quote.Sized(2, 1000)); // rewritten, then buried under twice the cap of newer writes
        var keys = Enumerable.Range(0, 128).Select(i => new CacheKey<Quote>(CacheTier.Raw, $"q{i}")).ToArray();
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            await harness.Cache.SetAsync(key, Quote.Sized(i, 1000));
        }

        harness.Cache.FlushPendingWrites();
        harness.Cache.Memory.Remove(first.Text);
        var stats = harness.Cache.GetStats().Disk;

        Assert.That(stats.Bytes, Is.LessThanOrEqualTo(diskCap));
        Assert.That(await harness.Cache.TryGetAsync(first), Is.Null, "dropped with its batch, not served from the older copy");
        Assert.That((await harness.Cache.TryGetAsync(keys[^1]))?.Value.Price, Is.EqualTo(127d), "the newest are on disk");
    }

    [Test]
    public async Task AFlushLargerThanItsChunk_WritesEveryValue_AndKeepsItsBufferAboutAChunk()
    {
        var folder = CacheHarness.NewFolder();
        var keys = Enumerable.Range(0, 120).Select(i => new CacheKey<Quote>(CacheTier.Raw, $"chain{i}")).ToArray();
        int capacity;
        await using (var before = CacheHarness.Create(folder))
        {
            foreach (var (key, i) in keys.Select((k, i) => (k, i)))
            {
                await before.Cache.SetAsync(key, Quote.Sized(-i, 10)); // a key's first value is serialised at once (its size unknown)
                await before.Cache.SetAsync(key, Quote.Sized(i, 40_000)); // later ones by the flush: 40 kB each, 4.8 MB in all
            }

            before.Cache.FlushPendingWrites();
            capacity = before.Cache.FlushBufferCapacity;
            Assert.That(before.Cache.GetStats().Disk.Entries, Is.EqualTo(keys.Length), "every value written by the one flush");
        }

        await using var after = CacheHarness.Create(folder);
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            var found = await after.Cache.TryGetAsync(key);
            Assert.That((found?.Level, found?.Value.Price), Is.EqualTo((CacheLevel.Disk, (double)i)), key.Text);
            Assert.That(found!.Value.Value, Is.EqualTo(Quote.Sized(i, 40_000)), "what was written");
        }

        Assert.That(capacity, Is.InRange(HuiHui.Modules.Cache.EnhancedCache.FlushChunkBytes, 3 * HuiHui.Modules.Cache.EnhancedCache.FlushChunkBytes),
            $"the buffer holds a chunk and the value that crossed it, not the whole round (~4.8 MB): {capacity:N0} bytes");
    }

    [Test]
    public async Task PendingWrites_AreWrittenAtAStop_AndTheMemoryCapCountsTheirRealSize()
    {
        var folder = CacheHarness.NewFolder();
        var key = new CacheKey<Quote>(CacheTier.Raw, "SPY");
        long counted, real;
        await using (var before = CacheHarness.Create(folder))
        {
            await before.Cache.SetAsync(key, Quote.Sized(1, 100));
            await before.Cache.SetAsync(key, Quote.Sized(2, 5000)); // counted as its key's previous size until serialised
            before.Cache.FlushPendingWrites();
            counted = before.Cache.Memory.Bytes;
            real = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Quote.Sized(2, 5000), WebJson).LongLength;
            await before.Cache.SetAsync(key, new Quote("SPY", 503));
        }

        await using var after = CacheHarness.Create(folder);
        var found = await after.Cache.TryGetAsync(key);

        Assert.That(counted, Is.EqualTo(real), "the flush corrected the estimate");
        Assert.That((found?.Level, found?.Value.Price), Is.EqualTo((CacheLevel.Disk, 503d)), "the last write before the stop is on disk");
    }

    [Test]
    public async Task GetOrCreate_HundredConcurrentMissesOnOneKey_RunTheFactoryOnce()
    {
        await using var harness = CacheHarness.Create();
        var key = new CacheKey<Quote>(CacheTier.Enriched, "SPY");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        async ValueTask<Quote> Factory(CancellationToken _)
        {
            Interlocked.Increment(ref calls);
            await gate.Task;
            return new Quote("SPY", 501);
        }

        var callers = Enumerable.Range(0, 100).Select(_ => Task.Run(() => harness.Cache.GetOrCreateAsync(key, Factory).AsTask())).ToArray();
        await Poller.UntilAsync(() => Task.FromResult(calls), c => c >= 1, what: "the factory to start");
        gate.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.That(calls, Is.EqualTo(1));
        Assert.That(results.Select(r => r.Value.Price), Is.All.EqualTo(501));
    }

    [Test]
    public async Task FailSafe_WhenTheFactoryFails_ServesTheLastValueAsStale_ThenRecovers()
    {
        await using var harness = CacheHarness.Create();
        var key = new CacheKey<Quote>(CacheTier.ExpertResponse, "SPY");
        await harness.Cache.SetAsync(key, new Quote("SPY", 500));
        harness.Time.Advance(TimeSpan.FromSeconds(45));

        var stale = await harness.Cache.GetOrCreateAsync<Quote>(key, _ => throw new HttpRequestException("provider down"));
        var recovered = await harness.Cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(new Quote("SPY", 502)));
        var afterwards = await harness.Cache.GetOrCreateAsync<Quote>(key, _ => throw new InvalidOperationException("not called: fresh"));

        Assert.That((stale.Value.Price, stale.IsStale), Is.EqualTo((500d, true)));
        Assert.That((recovered.Value.Price, recovered.IsStale), Is.EqualTo((502d, false)));
        Assert.That(afterwards.Value.Price, Is.EqualTo(502));
        var stats = harness.Cache.GetStats();
        Assert.That((stats.FactoryFailures, stats.Tiers.Single(t => t.Tier == CacheTier.ExpertResponse).StaleServes), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task FailSafe_PastTheStaleWindow_TheFailurePropagates()
    {
        await using var harness = CacheHarness.Create(settings: new Dictionary<string, string?> { ["HuiHui:Cache:StaleWindow"] = "00:01:00" });
        var key = new CacheKey<Quote>(CacheTier.ExpertResponse, "SPY");
        await harness.Cache.SetAsync(key, new Quote("SPY", 500));
        harness.Time.Advance(TimeSpan.FromSeconds(91));

        Assert.ThrowsAsync<HttpRequestException>(async () => await harness.Cache.GetOrCreateAsync<Quote>(key, _ => throw new HttpRequestException("provider down")));
    }

    [Test]
    public async Task FactoryTimeout_ServesStaleWhenItCan_AndSaysTimeoutWhenItCannot()
    {
        await using var harness = CacheHarness.Create(settings: new Dictionary<string, string?> { ["HuiHui:Cache:FactoryTimeout"] = "00:00:05" });
        var withStale = new CacheKey<Quote>(CacheTier.ExpertResponse, "SPY");
        var withoutStale = new CacheKey<Quote>(CacheTier.ExpertResponse, "QQQ");
        await harness.Cache.SetAsync(withStale, new Quote("SPY", 500));
        harness.Time.Advance(TimeSpan.FromSeconds(31));
        static ValueTask<Quote> Hang(CancellationToken _) => new(new TaskCompletionSource<Quote>().Task);

        var staleServed = await AdvanceUntilDone(harness, harness.Cache.GetOrCreateAsync(withStale, Hang).AsTask());
        var timedOut = harness.Cache.GetOrCreateAsync(withoutStale, Hang).AsTask();
        await AdvanceUntilDone(harness, timedOut.ContinueWith(t => t, TaskScheduler.Default));

        Assert.That((staleServed.Value.Price, staleServed.IsStale), Is.EqualTo((500d, true)));
        Assert.That(timedOut.Exception?.InnerException, Is.TypeOf<TimeoutException>().With.Message.Contains("ExpertResponse:QQQ"));
        Assert.That(harness.Cache.GetStats().FactoryTimeouts, Is.EqualTo(2));
    }

    [Test]
    public async Task Restart_FindsTheDiskLevelWarm()
    {
        var folder = CacheHarness.NewFolder();
        var key = new CacheKey<Quote>(CacheTier.Raw, "SPY", CacheTags.Symbol("SPY"));
        await using (var before = CacheHarness.Create(folder))
        {
            await before.Cache.SetAsync(key, new Quote("SPY", 500));
        }

        await using var after = CacheHarness.Create(folder);
        var found = await after.Cache.TryGetAsync(key);

        Assert.That(found?.Level, Is.EqualTo(CacheLevel.Disk));
        Assert.That((found?.Value.Price, found?.IsStale), Is.EqualTo((500d, false)));
        Assert.That(await after.Cache.RemoveByTagAsync(CacheTags.Symbol("spy")), Is.EqualTo(1), "tags survive the restart too");
    }

    [Test]
    public async Task CorruptDiskFile_IsDroppedAndReplaced_NeverFailingARead()
    {
        var folder = CacheHarness.NewFolder();
        var key = new CacheKey<Quote>(CacheTier.Raw, "SPY");
        await using (var before = CacheHarness.Create(folder))
        {
            await before.Cache.SetAsync(key, new Quote("SPY", 500));
        }

        foreach (var leftover in Directory.GetFiles(folder, "cache.db-*"))
        {
            File.Delete(leftover);
        }

        await File.WriteAllBytesAsync(Path.Combine(folder, "cache.db"), [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 31))]);

        await using var after = CacheHarness.Create(folder);
        var found = await after.Cache.TryGetAsync(key);
        await after.Cache.SetAsync(key, new Quote("SPY", 501));
        after.Cache.FlushPendingWrites();
        after.Cache.Memory.Remove(key.Text);
        var reread = await after.Cache.TryGetAsync(key);

        Assert.That(found, Is.Null);
        Assert.That(after.Cache.GetStats().Disk is { Healthy: true, CorruptEntriesDropped: 1 }, Is.True);
        Assert.That((reread?.Level, reread?.Value.Price), Is.EqualTo((CacheLevel.Disk, 501d)), "a fresh file took its place");
    }

    [Test]
    public async Task DiskFileInTheOlderLayout_IsEmptiedAndLaidOutWithThePayloadLast()
    {
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "cache.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var old = connection.CreateCommand();
            old.CommandText = """
                CREATE TABLE entries (key TEXT PRIMARY KEY, tier INTEGER NOT NULL, payload BLOB NOT NULL, size INTEGER NOT NULL,
                    stored_at INTEGER NOT NULL, fresh_until INTEGER NOT NULL, stale_until INTEGER NOT NULL, last_access INTEGER NOT NULL);
                CREATE TABLE entry_tags (tag TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (tag, key)) WITHOUT ROWID;
                INSERT INTO entries VALUES ('Raw:SPY', 0, x'7B7D', 2, 0, 9000000000000, 9000000000000, 1);
                """;
            await old.ExecuteNonQueryAsync();
        }

        var key = new CacheKey<Quote>(CacheTier.Raw, "SPY");
        await using (var opened = CacheHarness.Create(folder))
        {
            Assert.That(await opened.Cache.TryGetAsync(key), Is.Null, "the old file's entries are dropped, not misread");
            await opened.Cache.SetAsync(key, new Quote("SPY", 502));
        }

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "cache.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var columns = connection.CreateCommand();
            columns.CommandText = "SELECT group_concat(name, ',') FROM pragma_table_info('entries')";
            Assert.That(await columns.ExecuteScalarAsync(), Is.EqualTo("key,tier,size,stored_at,fresh_until,stale_until,last_access,payload"));
        }

        await using var reopened = CacheHarness.Create(folder);
        var found = await reopened.Cache.TryGetAsync(key);
        Assert.That((found?.Level, found?.Value.Price), Is.EqualTo((CacheLevel.Disk, 502d)), "the new layout is kept across restarts");
    }

    [Test]
    public async Task CorruptDiskEntry_IsDroppedAndCountsAsAMiss()
    {
        var folder = CacheHarness.NewFolder();
        var key = new CacheKey<Quote>(CacheTier.Raw, "SPY");
        await using (var before = CacheHarness.Create(folder))
        {
            await before.Cache.SetAsync(key, new Quote("SPY", 500));
        }

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "cache.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var damage = connection.CreateCommand();
            damage.CommandText = "UPDATE entries SET payload = x'7B22707269636522' WHERE key = 'Raw:SPY'"; // {"price"  (truncated JSON)
            Assert.That(await damage.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        await using var after = CacheHarness.Create(folder);
        var created = await after.Cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(new Quote("SPY", 503)));

        Assert.That((created.Level, created.Value.Price), Is.EqualTo((CacheLevel.Factory, 503d)));
        Assert.That(after.Cache.GetStats().Disk.CorruptEntriesDropped, Is.EqualTo(1));
    }

    [Test]
    public async Task FullDisk_DegradesToMemoryOnlyWithAnAlert()
    {
        await using var harness = CacheHarness.Create(settings: new Dictionary<string, string?> { ["HuiHui:Cache:DiskMaxPageCount"] = "40" });
        CacheKey<Quote>? last = null;
        for (var i = 0; i < 400 && harness.Cache.GetStats().Disk.Healthy; i++)
        {
            last = new CacheKey<Quote>(CacheTier.Raw, $"q{i}");
            await harness.Cache.SetAsync(last, Quote.Sized(i, 2000));
            harness.Cache.FlushPendingWrites();
        }

        var disk = harness.Cache.GetStats().Disk;
        Assert.That(disk.Healthy, Is.False);
        Assert.That(disk.Problem, Does.Contain("full"));
        Assert.That((await harness.Cache.TryGetAsync(last!))?.Level, Is.EqualTo(CacheLevel.Memory), "memory keeps serving");
        var alert = await Poller.UntilAsync(() => Sql.OpenAlertsAsync("cache", "disk-degraded"), n => n == 1, what: "the disk-degraded alert");
        Assert.That(alert, Is.EqualTo(1));
    }

    [Test]
    public async Task UnusableDiskPath_DegradesAtStart_ThenRecoversByItselfAndResolvesTheAlert()
    {
        var blocker = Path.Combine(CacheHarness.RunFolder, $"not-a-folder-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.GetDirectoryName(blocker)!);
        await File.WriteAllTextAsync(blocker, "a file where the cache folder should be");
        await using var harness = CacheHarness.Create(Path.Combine(blocker, "cache"));
        var key = new CacheKey<Quote>(CacheTier.Raw, "SPY");

        await harness.Cache.SetAsync(key, new Quote("SPY", 500));
        Assert.That(harness.Cache.GetStats().Disk.Healthy, Is.False);
        Assert.That((await harness.Cache.TryGetAsync(key))?.Value.Price, Is.EqualTo(500), "memory serves while the disk is out");
        await Poller.UntilAsync(() => Sql.OpenAlertsAsync("cache", "disk-degraded"), n => n == 1, what: "the alert");

        File.Delete(blocker);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.Cache.SetAsync(key, new Quote("SPY", 501));

        Assert.That(harness.Cache.GetStats().Disk.Healthy, Is.True);
        await Poller.UntilAsync(() => Sql.OpenAlertsAsync("cache", "disk-degraded"), n => n == 0, what: "the alert to resolve");
    }

    [Test]
    public async Task RemoveByTag_RemovesFromMemoryAndDisk()
    {
        await using var harness = CacheHarness.Create();
        var spyRaw = new CacheKey<Quote>(CacheTier.Raw, "snapshot:SPY", CacheTags.Symbol("SPY"));
        var spyMetrics = new CacheKey<Quote>(CacheTier.Enriched, "metrics:SPY", CacheTags.Symbol("SPY"));
        var qqq = new CacheKey<Quote>(CacheTier.Raw, "snapshot:QQQ", CacheTags.Symbol("QQQ"));
        foreach (var key in new[] { spyRaw, spyMetrics, qqq })
        {
            await harness.Cache.SetAsync(key, new Quote(key.Id, 1));
        }

        harness.Cache.FlushPendingWrites();
        var removed = await harness.Cache.RemoveByTagAsync(CacheTags.Symbol("SPY"));
        harness.Cache.Memory.Remove(qqq.Text);

        Assert.That(removed, Is.EqualTo(2));
        Assert.That(await harness.Cache.TryGetAsync(spyRaw), Is.Null);
        Assert.That(await harness.Cache.TryGetAsync(spyMetrics), Is.Null);
        Assert.That((await harness.Cache.TryGetAsync(qqq))?.Level, Is.EqualTo(CacheLevel.Disk));
    }

    private static async Task<T> AdvanceUntilDone<T>(CacheHarness harness, Task<T> task)
    {
        for (var i = 0; i < 600 && !task.IsCompleted; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        return await task;
    }
}
