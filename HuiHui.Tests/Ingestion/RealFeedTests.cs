using System.Text.Json;
using System.Text.Json.Nodes;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers;
using HuiHui.Modules.Ingestion.Providers.Cboe;
using HuiHui.Modules.Ingestion.Providers.Files;
using HuiHui.Modules.Ingestion.Validation;
using HuiHui.Modules.Shared.Persistence;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Ingestion;

/// <summary>
/// Payloads as real feeds send them: stamped in New York time (winter and summer), without trade prints. Through the
/// parsers, the ingestion, the archive, <c>analyze</c> and <c>replay</c>, against the real PostgreSQL.
/// </summary>
public sealed class RealFeedTests : DatabaseTest
{
    /// <summary>
    /// The CBOE sample re-stamped at <paramref name="eastern"/> (New York wall clock); each option's cumulative volume raised
    /// by <paramref name="addVolume"/>(index) and its last trade moved by <paramref name="last"/>(index, bid, ask) when given.
    /// </summary>
    internal static byte[] Cboe(string eastern, Func<int, long>? addVolume = null, Func<int, double, double, (double Last, string Tick)>? last = null)
    {
        var root = JsonNode.Parse(Samples.Bytes("cboe_delayed_options.json"))!;
        root["timestamp"] = eastern;
        var options = root["data"]!["options"]!.AsArray();
        for (var i = 0; i < options.Count; i++)
        {
            var option = options[i]!;
            option["volume"] = option["volume"]!.GetValue<long>() + (addVolume?.Invoke(i) ?? 0);
            if (last is not null)
            {
                var (price, tick) = last(i, option["bid"]!.GetValue<double>(), option["ask"]!.GetValue<double>());
                option["last_trade_price"] = price;
                option["tick"] = tick;
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    [TestCase("2026-11-24 16:15:00", "2026-11-24T21:15:00Z", TestName = "Eastern time in winter (EST, −05:00) becomes UTC")]
    [TestCase("2026-07-15 16:15:00", "2026-07-15T20:15:00Z", TestName = "Eastern time in summer (EDT, −04:00) becomes UTC")]
    [TestCase("2026-03-08 02:30:00", "2026-03-08T07:30:00Z", TestName = "A time in the spring-forward gap is read with the standard offset")]
    [TestCase("2026-11-01 01:30:00", "2026-11-01T06:30:00Z", TestName = "The repeated hour of November is read as standard time")]
    public void ExchangeTime_BecomesUtc(string eastern, string utc)
    {
        var converted = ProviderJson.FromEastern(DateTime.Parse(eastern, System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(converted.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(converted, Is.EqualTo(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void CboePayloads_StampedInNewYork_ParseToUtcInstants_InWinterAndSummer()
    {
        var winter = CboeParser.Parse(Cboe("2026-11-24 16:15:00"), "SPY");
        var summer = CboeParser.Parse(Cboe("2026-07-15 11:00:00"), "SPY");

        Assert.That(new[] { winter.AsOf, winter.Quote.AsOf, winter.Contracts[0].UpdatedAt }, Has.All.EqualTo(new DateTimeOffset(2026, 11, 24, 21, 15, 0, TimeSpan.Zero)));
        Assert.That(summer.AsOf, Is.EqualTo(new DateTimeOffset(2026, 7, 15, 15, 0, 0, TimeSpan.Zero)));
        Assert.That(summer.Contracts.Select(c => c.UpdatedAt.Offset), Has.All.EqualTo(TimeSpan.Zero));
        Assert.That(winter.Contracts.Select(c => c.Tick), Has.Some.EqualTo(PriceTick.Down), "CBOE's tick is read");
    }

    [Test]
    public void CboeTimestamps_WithAnOffset_AreHonoured_AndAnUnexpectedShapeIsNamed()
    {
        Assert.That(CboeParser.Parse(Cboe("2026-07-15T11:00:00-04:00"), "SPY").AsOf, Is.EqualTo(new DateTimeOffset(2026, 7, 15, 15, 0, 0, TimeSpan.Zero)));
        Assert.That(CboeParser.Parse(Cboe("2026-07-15T15:00:00Z"), "SPY").AsOf.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(() => CboeParser.Parse(Cboe("15/07/2026 11:00"), "SPY"),
            Throws.TypeOf<ProviderPayloadException>().With.Message.Contains("timestamp").And.Message.Contains("New York time"));
        Assert.That(() => CboeParser.Parse(Cboe("2026-07-15T11:00:00"), "SPY"), Throws.TypeOf<ProviderPayloadException>(),
            "an ISO time without an offset is ambiguous: refused, not guessed");
    }

    [Test]
    public async Task TheIngestionLoop_OnSummerCboeFiles_CachesUtcSnapshots_AndAnalysesTheirDerivedFlow()
    {
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "1.json"), Cboe("2026-07-15 10:00:00"));
        File.WriteAllBytes(Path.Combine(folder, "2.json"), Cboe("2026-07-15 10:01:00", i => 25, (i, bid, ask) => (ask, "up")));
        await using var services = ModuleServices.Build(new Dictionary<string, string?>
        {
            ["HuiHui:Ingestion:WatchList:0"] = "SPY",
            ["HuiHui:Ingestion:Providers:0"] = "file",
            ["HuiHui:Ingestion:ReplayPath"] = folder,
            ["HuiHui:Ingestion:Interval"] = "00:00:15",
            ["HuiHui:Ingestion:ArchiveChainEvery"] = "00:00:00",
            ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Ingestion:SpoolPath"] = CacheHarness.NewFolder(),
        }, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 7, 15, 14, 0, 0, TimeSpan.Zero)));
        var loop = services.Get<HuiHui.Modules.Ingestion.Pipeline.IngestionLoop>();
        var cache = services.Get<IEnhancedCache>();
        await loop.StartAsync(CancellationToken.None);
        try
        {
            // Advance only once the loop waits for its next tick: advanced earlier, the fake clock passes the tick before the
            // wait exists and the loop (rightly) skips to the one after (seen failing on a loaded fresh clone).
            await Poller.UntilAsync(() => Task.FromResult(loop.NextCycle), next => next == new DateTimeOffset(2026, 7, 15, 14, 0, 15, TimeSpan.Zero), what: "the loop waiting for its second tick");
            services.Time.Advance(TimeSpan.FromSeconds(15));
            var analysis = await Poller.UntilAsync(async () => (await cache.TryGetAsync(ExpertKeys.Analysis("SPY")))?.Value,
                a => a?.AsOf == new DateTimeOffset(2026, 7, 15, 14, 1, 0, TimeSpan.Zero), what: "the analysis of the second snapshot");
            await using var scope = services.Provider.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

            Assert.That(analysis!.AsOf.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That((analysis.Metrics.Flow.DerivedFrom, analysis.Metrics.Flow.NetVolume), Is.EqualTo(("volumeDelta", 12 * 25.0)), "every contract bought 25 at the ask");
            // The spool hears the same notification as the analysis, in either order: archive until both snapshots are in.
            await Poller.UntilAsync(async () =>
            {
                await mediator.Send(new ArchiveSpooledSnapshots());
                return await Sql.ScalarAsync<long>("SELECT count(DISTINCT as_of) FROM market_data.options_chain WHERE underlying = 'SPY' AND as_of IN ($1, $2)",
                    new DateTimeOffset(2026, 7, 15, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 7, 15, 14, 1, 0, TimeSpan.Zero));
            }, n => n == 2, what: "both summer snapshots archived at their UTC instants");
        }
        finally
        {
            await loop.StopAsync(CancellationToken.None);
        }
    }

    [Test]
    public void NonUtcTimes_AreStoppedAtTheBoundary_AndBeforePersistence()
    {
        var snapshot = CboeParser.Parse(Cboe("2026-11-24 16:15:00"), "SPY");
        var local = snapshot with { AsOf = snapshot.AsOf.ToOffset(TimeSpan.FromHours(-5)) };

        Assert.That(() => SnapshotValidator.Validate(local),
            Throws.TypeOf<ProviderPayloadException>().With.Message.Contains("asOf").And.Message.Contains("not UTC"));
        Assert.That(() => SnapshotValidator.Validate(snapshot with { Contracts = [snapshot.Contracts[0] with { UpdatedAt = local.AsOf }] }),
            Throws.TypeOf<ProviderPayloadException>().With.Message.Contains("contract.updatedAt"));
        Assert.That(() => UtcTime.Require(local.AsOf, "expert_responses.as_of"),
            Throws.TypeOf<NonUtcTimeException>().With.Message.Contains("expert_responses.as_of"));
        Assert.That(UtcTime.Require(snapshot.AsOf, "x"), Is.EqualTo(snapshot.AsOf));
    }

    [Test]
    public void CsvChain_TakesOffsetsToUtc_AndRefusesATimeWithoutOne()
    {
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        var withOffset = Path.Combine(folder, "a.csv");
        File.WriteAllText(withOffset, CsvChainFormat.Header + "\n2026-07-15T11:00:00-04:00,IWM,200,IWM261218C00200000,1,1.1,1.05,10,100,0.2\n");
        var without = Path.Combine(folder, "b.csv");
        File.WriteAllText(without, CsvChainFormat.Header + "\n2026-07-15 11:00:00,IWM,200,IWM261218C00200000,1,1.1,1.05,10,100,0.2\n");

        var snapshot = CsvChainFormat.Read(withOffset).Single();

        Assert.That((snapshot.AsOf, snapshot.AsOf.Offset), Is.EqualTo((new DateTimeOffset(2026, 7, 15, 15, 0, 0, TimeSpan.Zero), TimeSpan.Zero)));
        Assert.That(() => CsvChainFormat.Read(without), Throws.TypeOf<ProviderPayloadException>().With.Message.Contains("as_of").And.Message.Contains("no UTC offset"));
    }

    [TestCase("2026-11-24 16:15:00", TestName = "A CBOE file stamped in winter: ingested, archived and analysed")]
    [TestCase("2026-07-15 15:45:00", TestName = "A CBOE file stamped in summer: ingested, archived and analysed")]
    public async Task CboeFile_InExchangeTime_IsIngestedArchivedAndAnalysed(string eastern)
    {
        var file = Path.Combine(CacheHarness.NewFolder(), "spy.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, Cboe(eastern));
        var expected = ProviderJson.FromEastern(DateTime.Parse(eastern, System.Globalization.CultureInfo.InvariantCulture));
        await using var services = ModuleServices.Build(new Dictionary<string, string?>
        {
            ["HuiHui:Ingestion:ArchiveChainEvery"] = "00:00:00",
            ["HuiHui:Ingestion:SpoolPath"] = CacheHarness.NewFolder(),
        });
        await using var scope = services.Provider.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        var analysis = await mediator.Send(new AnalyzeSymbol("SPY", "file:" + file));
        var archived = await mediator.Send(new ArchiveSpooledSnapshots());

        Assert.That((analysis.AsOf, analysis.AsOf.Offset), Is.EqualTo((expected, TimeSpan.Zero)));
        Assert.That(analysis.Metrics.Flow.DerivedFrom, Is.EqualTo(FlowOrigins.VolumeDelta));
        Assert.That(analysis.Metrics.Flow.Note, Does.StartWith("first snapshot of SPY"), "the first snapshot has no earlier one: flow is zero and says so");
        Assert.That(archived.OptionRows, Is.EqualTo(12));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.options_chain WHERE underlying = 'SPY' AND as_of = $1", expected), Is.EqualTo(12));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM moe_analysis.expert_responses WHERE symbol = 'SPY' AND as_of = $1", expected), Is.EqualTo(0),
            "not yet: the writer batches");
    }

    [Test]
    public async Task AnEveningSnapshotInExchangeTime_KeysItsDailyHistory_ByTheUtcDayItIsCutAt()
    {
        // 19:30 in New York on 2026-11-24 is 00:30 UTC on the 25th: the history is cut at the 25th (it holds the 24th's
        // bar), so it must not share the morning of the 24th's key, whose history ends a bar earlier.
        var utc = CboeParser.Parse(Cboe("2026-11-24 19:30:00"), "SPY");
        var eastern = utc with { AsOf = utc.AsOf.ToOffset(TimeSpan.FromHours(-5)) };
        await using var services = ModuleServices.Build(new Dictionary<string, string?> { ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder() });
        await using var scope = services.Provider.CreateAsyncScope();
        var runner = services.Get<HuiHui.Modules.Experts.Orchestration.AnalysisRunner>();
        var cache = services.Get<IEnhancedCache>();

        await runner.RunAsync(eastern, scope.ServiceProvider.GetRequiredService<IMediator>(), 0, CancellationToken.None, HuiHui.Modules.Experts.Orchestration.AnalysisMode.Benchmark);

        Assert.That(eastern.AsOf.Day, Is.EqualTo(24), "the snapshot is stamped on the 24th in its own offset");
        Assert.That(await cache.TryGetAsync(DailyBars("20261125")), Is.Not.Null, "the history is kept under the UTC day it is cut at");
        Assert.That(await cache.TryGetAsync(DailyBars("20261124")), Is.Null, "not under the exchange's calendar day");

        static CacheKey<List<Bar>> DailyBars(string day) => new(CacheTier.Enriched, $"daily-bars:SPY:{day}", CacheTags.Symbol("SPY"));
    }

    [Test]
    public async Task TwoSnapshotsAMinuteApart_GiveSignedFlow_FromVolumeChanges_WithTheUnclassifiedReported()
    {
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "1.json"), Cboe("2026-11-24 15:30:00"));
        // 12 options: index % 3 == 0 trades at the ask (buy), 1 at the bid (sell), 2 inside the spread with no tick (unclassified).
        File.WriteAllBytes(Path.Combine(folder, "2.json"), Cboe("2026-11-24 15:31:00", i => 10 * (i + 1),
            (i, bid, ask) => (i % 3) switch { 0 => (ask, "up"), 1 => (bid, "down"), _ => (Math.Round((bid + ask) / 2, 2), "no_change") }));
        await using var services = ModuleServices.Build(new Dictionary<string, string?>());
        await using var scope = services.Provider.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        var analyses = await mediator.CreateStream(new ReplayAnalyses("SPY", "file:" + folder)).ToListAsync();

        Assert.That(analyses.Select(a => a.AsOf), Is.EqualTo(new[] { new DateTimeOffset(2026, 11, 24, 20, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 24, 20, 31, 0, TimeSpan.Zero) }));
        var flow = analyses[1].Metrics.Flow;
        Assert.That(flow.DerivedFrom, Is.EqualTo("volumeDelta"));
        Assert.That(flow.NetVolume, Is.EqualTo(10 + 40 + 70 + 100 - (20 + 50 + 80 + 110)), "bought at the ask minus sold at the bid");
        Assert.That(flow.UnclassifiedVolume, Is.EqualTo(30 + 60 + 90 + 120), "inside the spread without a tick: counted, not guessed");
        Assert.That(flow.CallPremium, Is.Not.Zero);
        Assert.That(flow.PutPremium, Is.Not.Zero);
        Assert.That(flow.NetPremium, Is.EqualTo(flow.CallPremium - flow.PutPremium).Within(1e-6));
        Assert.That(flow.NetDeltaFlow, Is.Not.Zero);
        Assert.That(flow.TwLaf, Is.Not.Zero);
        Assert.That(analyses[0].Metrics.Flow.NetVolume, Is.Zero);
    }

    [Test]
    public async Task TheLevelsNetGammaBand_IsEachArchivedChainsNetGexByStrike_AsAnalyzeComputedIt()
    {
        var folder = History(thirdBuys: false);
        await using var services = ModuleServices.Build(new Dictionary<string, string?>
        {
            ["HuiHui:Ingestion:ArchiveChainEvery"] = "00:00:00",
            ["HuiHui:Ingestion:SpoolPath"] = CacheHarness.NewFolder(),
        });
        await using var scope = services.Provider.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        Assert.That((await mediator.Send(new IngestSnapshot("SPY", "file:" + folder))).Succeeded, Is.True);
        await mediator.Send(new ArchiveSpooledSnapshots());
        var day = new DateOnly(2026, 11, 24);

        var first = await mediator.Send(new GetLevelsTimeline("SPY", day));
        for (var i = 0; i < 2; i++)
        {
            Assert.That((await mediator.Send(new IngestSnapshot("SPY", "file:" + folder))).Succeeded, Is.True);
        }

        await mediator.Send(new ArchiveSpooledSnapshots());
        var later = await mediator.Send(new GetLevelsTimeline("SPY", day));
        var analyses = await mediator.CreateStream(new ReplayAnalyses("SPY", "file:" + folder)).ToListAsync();
        var none = await mediator.Send(new GetLevelsTimeline("SPY", day.AddDays(-1)));

        Assert.That(first!.Band.Select(c => c.AsOf), Is.EqualTo(analyses.Take(1).Select(a => a.AsOf)), "one column per archived chain");
        Assert.That(later!.Band.Select(c => c.AsOf), Is.EqualTo(analyses.Select(a => a.AsOf)), "chains archived since are added to the day");
        for (var i = 0; i < analyses.Count; i++)
        {
            var expected = analyses[i].Metrics.Exposures.ByStrike.Where(s => Math.Abs((s.Strike / analyses[i].Spot) - 1) <= GammaBandColumn.Window).ToList();
            Assert.That(later.Band[i].Spot, Is.EqualTo(analyses[i].Spot));
            Assert.That(later.Band[i].Strikes.Select(s => s[0]), Is.EqualTo(expected.Select(s => s.Strike)).And.Not.Empty);
            Assert.That(later.Band[i].Strikes.Select(s => s[1]), Is.EqualTo(expected.Select(s => s.NetGex)).Within(0.01), "the same net GEX as analyze");
        }

        Assert.That(none!.Band, Is.Empty, "no chain archived that day");
    }

    [Test]
    public async Task AClosedMarketsRepeatedSnapshot_IsServedAgain_OnceTheCacheHasLetTheLastOneGo()
    {
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "1.json"), Cboe("2026-11-27 16:00:00"));
        await using var services = ModuleServices.Build(new Dictionary<string, string?>());
        await using var scope = services.Provider.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var cache = scope.ServiceProvider.GetRequiredService<IEnhancedCache>();

        Assert.That((await mediator.Send(new IngestSnapshot("SPY", "file:" + folder))).Succeeded, Is.True);
        await cache.RemoveAsync(MarketDataKeys.Snapshot("SPY")); // past its stale window: gone from every level
        var repeat = await mediator.Send(new IngestSnapshot("SPY", "file:" + folder)); // the feed has nothing newer
        var analysis = await mediator.Send(new AnalyzeSymbol("SPY", "file:" + folder));

        Assert.That(repeat.Dropped, Is.EqualTo(new[] { new DropCount("duplicate-snapshot", 1) }), "still refused as new data");
        Assert.That((await cache.TryGetAsync(MarketDataKeys.Snapshot("SPY")))?.Value.AsOf, Is.EqualTo(new DateTimeOffset(2026, 11, 27, 21, 0, 0, TimeSpan.Zero)),
            "but the snapshot the feed still serves is readable again");
        Assert.That(analysis.AsOf, Is.EqualTo(new DateTimeOffset(2026, 11, 27, 21, 0, 0, TimeSpan.Zero)), "analyze works on a closed market");
    }

    /// <summary>Three CBOE payloads a minute apart with volume added in the later two; <paramref name="thirdBuys"/> flips the third's side.</summary>
    private static string History(bool thirdBuys)
    {
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "1.json"), Cboe("2026-11-24 15:30:00"));
        File.WriteAllBytes(Path.Combine(folder, "2.json"), Cboe("2026-11-24 15:31:00", i => 10 * (i + 1), (i, bid, ask) => (ask, "up")));
        File.WriteAllBytes(Path.Combine(folder, "3.json"), Cboe("2026-11-24 15:32:00", i => 30 * (i + 1), (i, bid, ask) => (thirdBuys ? ask : bid, "none")));
        return folder;
    }

    [Test]
    public async Task Replay_SeesNothingAfterASnapshotsTime_TwoHistoriesThatShareTheirStartAgreeThere()
    {
        await using var services = ModuleServices.Build(new Dictionary<string, string?>());
        await using var scope = services.Provider.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        var rising = await mediator.CreateStream(new ReplayAnalyses("SPY", "file:" + History(thirdBuys: true))).ToListAsync();
        var falling = await mediator.CreateStream(new ReplayAnalyses("SPY", "file:" + History(thirdBuys: false))).ToListAsync();

        Assert.That(rising, Has.Count.EqualTo(3));
        for (var i = 0; i < 2; i++)
        {
            Assert.That(JsonSerializer.Serialize(Comparable(falling[i])), Is.EqualTo(JsonSerializer.Serialize(Comparable(rising[i]))), $"snapshot {i} must not see what came after it");
        }

        Assert.That(rising[2].Metrics.Flow.NetVolume, Is.GreaterThan(0));
        Assert.That(falling[2].Metrics.Flow.NetVolume, Is.LessThan(0));
        static object Comparable(Analysis a) => new { a.AsOf, a.Metrics, a.Regime, a.Flow, a.Meta.Bias, a.Meta.Conviction, a.Meta.Strategy };
    }

    [Test]
    public async Task ArchivedSnapshots_ReplayFromTheDatabase_WithTheSameDerivedFlow()
    {
        var folder = History(thirdBuys: true);
        await using var services = ModuleServices.Build(new Dictionary<string, string?>
        {
            ["HuiHui:Ingestion:ArchiveChainEvery"] = "00:00:00",
            ["HuiHui:Ingestion:SpoolPath"] = CacheHarness.NewFolder(),
        });
        await using var scope = services.Provider.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await mediator.Send(new IngestSnapshot("SPY", "file:" + folder))).Succeeded, Is.True);
        }

        var again = await mediator.Send(new IngestSnapshot("SPY", "file:" + folder)); // the folder is used up: the last one again
        await mediator.Send(new ArchiveSpooledSnapshots());
        var fromFiles = await mediator.CreateStream(new ReplayAnalyses("SPY", "file:" + folder)).ToListAsync();
        var fromArchive = await mediator.CreateStream(new ReplayAnalyses("SPY", ReplaySnapshots.Archive,
            new DateTimeOffset(2026, 11, 24, 20, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 24, 20, 32, 0, TimeSpan.Zero))).ToListAsync();

        Assert.That(again.Dropped, Is.EqualTo(new[] { new DropCount("duplicate-snapshot", 1) }), "a repeated snapshot is refused by name");
        Assert.That(fromArchive.Select(a => a.AsOf), Is.EqualTo(fromFiles.Select(a => a.AsOf)));
        Assert.That(fromArchive.Select(a => (a.Metrics.Flow.NetVolume, a.Metrics.Flow.UnclassifiedVolume)),
            Is.EqualTo(fromFiles.Select(a => (a.Metrics.Flow.NetVolume, a.Metrics.Flow.UnclassifiedVolume))));
        Assert.That(fromArchive[2].Metrics.Flow.NetPremium, Is.EqualTo(fromFiles[2].Metrics.Flow.NetPremium).Within(1e-6));
        Assert.That(() => mediator.CreateStream(new ReplayAnalyses("SPY", ReplaySnapshots.Archive, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2020, 1, 2, 0, 0, 0, TimeSpan.Zero))).ToListAsync().AsTask(),
            Throws.TypeOf<ReplayUnavailableException>().With.Message.Contains("no snapshot of SPY in archive between"));

        // A backtest runs on the archive as on the files it came from.
        var backtestArchive = await mediator.Send(new RunBacktest(["SPY"], ReplaySnapshots.Archive,
            new DateTimeOffset(2026, 11, 24, 20, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 24, 20, 32, 0, TimeSpan.Zero)));
        var backtestFiles = await mediator.Send(new RunBacktest(["SPY"], "file:" + folder));
        Assert.That((backtestArchive.Source, backtestArchive.Snapshots, backtestArchive.From, backtestArchive.To),
            Is.EqualTo((ReplaySnapshots.Archive, 3, new DateTimeOffset(2026, 11, 24, 20, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 24, 20, 32, 0, TimeSpan.Zero))));
        Assert.That(backtestArchive.Ideas.Select(i => (i.OpenedAt, i.Strategy, i.Outcome)), Is.EqualTo(backtestFiles.Ideas.Select(i => (i.OpenedAt, i.Strategy, i.Outcome))));
    }

    [Test]
    public async Task ReplayVerb_PrintsOneAnalysisPerSnapshot_AsAJsonArray_AndSaysWhatIsWrong()
    {
        var folder = History(thirdBuys: true);

        var json = await CliProcess.RunAsync(Testing.ConnectionString, "replay", "SPY", "--source", "file:" + folder, "--json");
        var single = await CliProcess.RunAsync(Testing.ConnectionString, "analyze", "SPY", "--source", "file:" + Path.Combine(folder, "2.json"), "--json");
        var missing = await CliProcess.RunAsync(Testing.ConnectionString, "replay", "SPY", "--source", "file:/nonexistent/huihui");
        var badTime = await CliProcess.RunAsync(Testing.ConnectionString, "replay", "SPY", "--source", "archive", "--from", "yesterday");
        var badSource = await CliProcess.RunAsync(Testing.ConnectionString, "replay", "SPY", "--source", "tradier");

        Assert.That(json.ExitCode, Is.Zero, json.StandardError);
        var items = JsonDocument.Parse(json.StandardOutput).RootElement.EnumerateArray().ToList();
        Assert.That(items.Select(i => i.GetProperty("asOf").GetDateTimeOffset()).ToList(), Is.Ordered.And.Count.EqualTo(3));
        Assert.That(items[1].GetProperty("metrics").GetProperty("flow").GetProperty("derivedFrom").GetString(), Is.EqualTo("volumeDelta"));
        Assert.That(items[1].GetProperty("metrics").GetProperty("flow").GetProperty("netVolume").GetDouble(), Is.EqualTo(780), "10 + 20 + … + 120 bought at the ask");
        Assert.That(items[0].GetProperty("experts").GetProperty("meta").GetProperty("bias").GetString(), Is.Not.Empty, "the shape analyze --json prints");
        Assert.That(single.ExitCode, Is.Zero, single.StandardError);
        Assert.That(JsonDocument.Parse(single.StandardOutput).RootElement.GetProperty("asOf").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2026, 11, 24, 20, 31, 0, TimeSpan.Zero)));
        Assert.That(missing.ExitCode, Is.EqualTo(1));
        Assert.That(missing.StandardError, Does.Contain("does not exist"));
        Assert.That((badTime.ExitCode, badTime.StandardError.Contains("is not a time", StringComparison.Ordinal)), Is.EqualTo((2, true)), badTime.StandardError);
        Assert.That((badSource.ExitCode, badSource.StandardError.Contains("not a replay source", StringComparison.Ordinal)), Is.EqualTo((2, true)), badSource.StandardError);
    }

    [Test]
    public async Task TradierPayloads_TheirNewYorkTimeAndSales_ReplayAsUtc_FromAFolder()
    {
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { "tradier_quotes.json", "tradier_chain.json", "tradier_timesales.json", "tradier_expirations.json" })
        {
            File.Copy(Path.Combine(Samples.Folder, name), Path.Combine(folder, name));
        }

        await using var services = ModuleServices.Build(new Dictionary<string, string?>());
        await using var scope = services.Provider.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        var snapshots = await mediator.CreateStream(new ReplaySnapshots("SPY", "file:" + folder)).ToListAsync();
        var analyses = await mediator.CreateStream(new ReplayAnalyses("SPY", "file:" + folder)).ToListAsync();

        var snapshot = snapshots.Single().Snapshot;
        var bars = HuiHui.Modules.Ingestion.Providers.Tradier.TradierParser.ParseTimesales(Samples.Bytes("tradier_timesales.json"), "SPY");
        Assert.That(snapshot.AsOf, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1795459199000)), "the quote's trade time (epoch ms, UTC)");
        Assert.That(bars[0].Start, Is.EqualTo(new DateTimeOffset(2026, 11, 24, 14, 30, 0, TimeSpan.Zero)), "09:30 New York in November is 14:30 UTC");
        Assert.That(bars.Select(b => b.Start.Offset), Has.All.EqualTo(TimeSpan.Zero));
        // The samples' quote is stamped 2026-11-23 18:39:59 UTC, before every minute of the 24th: none may reach the snapshot.
        Assert.That(snapshot.Bars, Is.Empty, "no bar after the snapshot's time");
        Assert.That(snapshot.AsOf.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That((analyses.Single().Source, analyses.Single().Metrics.Contracts), Is.EqualTo(("file", 12)));
    }

    [Test]
    public async Task ASpoolLineWrittenBeforeTheFix_WithTheExchangesOffset_IsArchivedAtItsInstant_AndDoesNotStopTheArchive()
    {
        // What an earlier version spooled for a CBOE payload: the right instant, written with New York's offset.
        var utc = CboeParser.Parse(Cboe("2026-11-24 16:15:00"), "SPY");
        var eastern = TimeSpan.FromHours(-5);
        var old = utc with
        {
            AsOf = utc.AsOf.ToOffset(eastern),
            Quote = utc.Quote with { AsOf = utc.Quote.AsOf.ToOffset(eastern) },
            Contracts = [.. utc.Contracts.Select(c => c with { UpdatedAt = c.UpdatedAt.ToOffset(eastern) })],
        };
        var spool = CacheHarness.NewFolder();
        Directory.CreateDirectory(spool);
        await File.WriteAllTextAsync(Path.Combine(spool, "snapshots-20261124-21.jsonl"),
            System.Text.Json.JsonSerializer.Serialize(old, HuiHui.Modules.Ingestion.Archive.IngestionJson.Default.ChainSnapshot) + "\n");
        Assert.That(File.ReadAllText(Path.Combine(spool, "snapshots-20261124-21.jsonl")), Does.Contain("-05:00"));
        await using var services = ModuleServices.Build(new Dictionary<string, string?> { ["HuiHui:Ingestion:SpoolPath"] = spool });
        await using var scope = services.Provider.CreateAsyncScope();

        var report = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ArchiveSpooledSnapshots());

        Assert.That((report.Snapshots, report.OptionRows), Is.EqualTo((1, 12)));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.options_chain WHERE underlying = 'SPY' AND as_of = $1", utc.AsOf), Is.EqualTo(12));
    }
}
