using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HuiHui.Tests.Experts;

public sealed class AnalysisPersistenceTests : DatabaseTest
{
    private static Dictionary<string, string?> Settings(string? connectionString = null) => new()
    {
        ["ConnectionStrings:Postgres"] = connectionString ?? Testing.ConnectionString,
        ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
        ["HuiHui:Ingestion:SpoolPath"] = CacheHarness.NewFolder(),
        ["HuiHui:Experts:SpoolPath"] = CacheHarness.NewFolder(),
        ["HuiHui:Experts:RetryInterval"] = "00:00:00.100",
        ["HuiHui:Experts:AnalyzeEveryCycle"] = "false",
    };

    private static async Task<Analysis> AnalyzeAsync(ModuleServices services, string symbol, string? source = null)
    {
        await using var scope = services.Provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new AnalyzeSymbol(symbol, source));
    }

    [Test]
    public async Task Analysis_IsCached_AndEveryResponsePersistedOnce()
    {
        await using var services = ModuleServices.BuildOnSystemClock(Settings());
        var writer = services.Get<ResponseWriter>();
        var stats = services.Get<HuiHui.Modules.Monitoring.Features.StatsWriter>();
        await writer.StartAsync(CancellationToken.None);
        await stats.StartAsync(CancellationToken.None);

        var analysis = await AnalyzeAsync(services, "SPY");
        await Poller.UntilAsync(() => Task.FromResult(writer.Drained && writer.Written >= 4), done => done, what: "the writer to persist the responses");

        Assert.That((analysis.Regime, analysis.Flow, analysis.Sentiment), Is.Not.EqualTo(((RegimeResponse?)null, (FlowResponse?)null, (SentimentResponse?)null)));
        Assert.That(analysis.Meta.MissingExperts, Is.Empty);
        var cached = await services.Get<IEnhancedCache>().TryGetAsync(ExpertKeys.Analysis("SPY"));
        Assert.That(cached!.Value.Value.CycleId, Is.EqualTo(analysis.CycleId));
        var experts = await Sql.ScalarAsync<string[]>("SELECT array_agg(expert_id ORDER BY expert_id) FROM moe_analysis.expert_responses WHERE cycle_id = $1", analysis.CycleId);
        Assert.That(experts, Is.EqualTo(new[] { "flow", "meta", "regime", "sentiment" }));
        var metaConviction = await Sql.ScalarAsync<double>("SELECT (details->>'conviction')::float8 FROM moe_analysis.expert_responses WHERE cycle_id = $1 AND expert_id = 'meta'", analysis.CycleId);
        Assert.That(metaConviction, Is.EqualTo(analysis.Meta.Conviction).Within(1e-12));
        var stages = await Poller.UntilAsync(
            () => Sql.ScalarAsync<long>("SELECT count(*) FROM usage_stats.orchestrator_stats WHERE cycle_id = $1", analysis.CycleId), n => n == 5, what: "the stage latencies");
        Assert.That(stages, Is.EqualTo(5), "snapshot, metrics, experts, meta, total");
        await writer.StopAsync(CancellationToken.None);
        await stats.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task DatabaseGoingAwayMidRun_LosesAndDuplicatesNothing()
    {
        var server = new NpgsqlConnectionStringBuilder(Testing.ConnectionString);
        await using var proxy = new TcpProxy(server.Host!, server.Port);
        proxy.Start();
        var throughProxy = new NpgsqlConnectionStringBuilder(Testing.ConnectionString) { Port = proxy.Port, Timeout = 2, CommandTimeout = 5 }.ConnectionString;
        await using var services = ModuleServices.BuildOnSystemClock(Settings(throughProxy));
        var writer = services.Get<ResponseWriter>();
        await writer.StartAsync(CancellationToken.None);
        var cycles = new List<Guid>();
        var snapshots = new HashSet<(string, DateTimeOffset)>();
        async Task AnalyzeOnceAsync(string symbol)
        {
            var analysis = await AnalyzeAsync(services, symbol);
            cycles.Add(analysis.CycleId);
            snapshots.Add((analysis.Symbol, analysis.AsOf));
        }

        for (var i = 0; i < 5; i++)
        {
            await AnalyzeOnceAsync(i % 2 == 0 ? "SPY" : "QQQ");
        }

        await Poller.UntilAsync(() => Task.FromResult(writer.Drained), done => done, what: "the first responses to be written");
        proxy.Stop(); // PostgreSQL is gone as far as HuiHui can tell

        for (var i = 0; i < 5; i++)
        {
            await AnalyzeOnceAsync(i % 2 == 0 ? "IWM" : "SPY");
        }

        await Poller.UntilAsync(() => Task.FromResult(writer.Spooled), spooled => spooled > 0, what: "responses to go to the spool");
        Assert.That(writer.DatabaseDown, Is.True);

        proxy.Start(); // and back
        await Poller.UntilAsync(() => Task.FromResult(writer.Drained), done => done, TimeSpan.FromSeconds(30), what: "the spool to be replayed");

        var stored = await Sql.ScalarAsync<long>("SELECT count(*) FROM moe_analysis.expert_responses WHERE cycle_id = ANY($1)", cycles.ToArray());
        var distinct = await Sql.ScalarAsync<long>("SELECT count(DISTINCT id) FROM moe_analysis.expert_responses WHERE cycle_id = ANY($1)", cycles.ToArray());
        var perSnapshot = await Sql.ScalarAsync<long>("SELECT count(DISTINCT (symbol, as_of)) FROM moe_analysis.expert_responses WHERE cycle_id = ANY($1)", cycles.ToArray());
        // One response per expert per snapshot: an analysis of a snapshot already analysed (the simulated market moves one
        // minute per second, so quick analyses of a symbol can share one) is not stored again.
        var expected = 4L * snapshots.Count;
        Assert.That((stored, distinct, perSnapshot), Is.EqualTo((expected, expected, (long)snapshots.Count)), $"4 responses for each of the {snapshots.Count} snapshots analysed, each exactly once");
        await writer.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task IvRank_ComesFromTheStoredDailyReadings()
    {
        await using var services = ModuleServices.BuildOnSystemClock(Settings());
        // Regime answers at noon UTC 1, 2, 3 and 400 days back. The day two days back also has an earlier reading and, after
        // its last one with an ATM IV, an answer without one: it counts with its last reading that has an ATM IV (0.20).
        foreach (var (days, hours, details) in new[]
        {
            (1, 12, Iv(0.10)), (2, 12, Iv(0.20)), (2, 6, Iv(0.95)), (2, 18, "{\"evidence\": {}}"), (3, 12, Iv(0.40)), (400, 12, Iv(0.90)),
        })
        {
            await Sql.ExecuteAsync($"""
                INSERT INTO moe_analysis.expert_responses (id, cycle_id, expert_id, symbol, details, confidence, as_of, created_at)
                VALUES (gen_random_uuid(), gen_random_uuid(), 'regime', 'SPY', '{details}', 0.5,
                        date_trunc('day', now(), 'UTC') - interval '{days} days' + interval '{hours} hours', now())
                """);
        }

        static string Iv(double iv) => "{\"evidence\": {\"atmIv\": " + iv.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}";

        var analysis = await AnalyzeAsync(services, "SPY");

        var current = analysis.Metrics.Volatility.AtmIv!.Value;
        var readings = new[] { 0.10, 0.20, 0.40 }; // the 400-day-old reading is outside the year
        Assert.That(analysis.Metrics.Volatility.IvRank, Is.EqualTo(Math.Clamp((current - 0.10) / 0.30, 0, 1)).Within(1e-12));
        Assert.That(analysis.Metrics.Volatility.IvPercentile, Is.EqualTo(readings.Count(r => r < current) / 3.0).Within(1e-12));
    }

    [TestCase(true, TestName = "An expert that runs out of time is left out")]
    [TestCase(false, TestName = "An expert that throws is left out")]
    public async Task MissingExpert_DoesNotStopTheCycle_TheMetaSaysSo(bool slow)
    {
        var settings = Settings();
        settings["HuiHui:Experts:ExpertTimeBudget"] = "00:00:00.200";
        await using var services = ModuleServices.BuildOnSystemClock(settings,
            s => s.AddSingleton<HuiHui.Modules.Experts.Sentiment.IHeadlineScorer>(new BrokenScorer(slow)));

        var analysis = await AnalyzeAsync(services, "SPY");

        Assert.That(analysis.Sentiment, Is.Null);
        Assert.That((analysis.Regime, analysis.Flow), Is.Not.EqualTo(((RegimeResponse?)null, (FlowResponse?)null)));
        Assert.That(analysis.Meta.MissingExperts, Is.EqualTo(new[] { ExpertIds.Sentiment }));
        Assert.That(analysis.Meta.RiskNotes, Has.Some.Contains("sentiment expert did not answer"));
    }

    [Test]
    public async Task Narrative_CitesTheEducationCorpus_WhenItHasPassagesOnTheRegimeAndStrategy()
    {
        await Testing.SendAsync(new HuiHui.Modules.Education.Contracts.IngestDocuments([Education.StarterCorpusRecallTests.CorpusFolder()]));
        await using var services = ModuleServices.BuildOnSystemClock(Settings());

        var analysis = await AnalyzeAsync(services, "SPY");

        Assert.That(analysis.Meta.Citations, Is.Not.Null.And.Not.Empty);
        Assert.That(analysis.Meta.Citations!.Select(c => c.Title), Is.SubsetOf(new[] { "Options metrics HuiHui computes", "Market regimes", "Common options strategies", "How to read the hub" }));
        Assert.That(analysis.Meta.Narrative, Does.Contain("Sources: [1] "));
        Assert.That(analysis.Meta.Citations!.Select(c => c.Document), Is.All.Matches<string>(d => d.EndsWith(".md", StringComparison.Ordinal) && !d.Contains('/', StringComparison.Ordinal)),
            "the document by its file name, never a path of the server");
        var json = System.Text.Json.JsonSerializer.Serialize(analysis.Meta.Citations);
        Assert.That(json, Does.Not.Contain(Education.StarterCorpusRecallTests.CorpusFolder()));
        var passage = await Testing.SendAsync(new HuiHui.Modules.Education.Contracts.GetDocument(ChunkId: analysis.Meta.Citations![0].ChunkId));
        Assert.That(passage!.Document.Title, Is.EqualTo(analysis.Meta.Citations[0].Title), "the citation's passage opens its document");
    }

    [Test]
    public async Task CachedValues_AreWrittenFromGeneratedMetadata_ByteForByteAsByReflection()
    {
        await using var services = ModuleServices.BuildOnSystemClock(Settings());
        var analysis = await AnalyzeAsync(services, "SPY");
        var cache = services.Get<HuiHui.Modules.Cache.EnhancedCache>();
        var snapshot = (await cache.TryGetAsync(HuiHui.Modules.Ingestion.Contracts.MarketDataKeys.Snapshot("SPY")))!.Value.Value;
        var options = cache.SerializerOptions;
        var reflection = HuiHui.Modules.Cache.EnhancedCache.WebDefaults;

        Assert.That(options.GetTypeInfo(typeof(Analysis)).OriginatingResolver, Is.SameAs(ExpertsCacheJson.Default), "the analysis from Experts' context");
        Assert.That(options.GetTypeInfo(typeof(HuiHui.Modules.Ingestion.Contracts.ChainSnapshot)).OriginatingResolver, Is.SameAs(HuiHui.Modules.Ingestion.Pipeline.IngestionCacheJson.Default), "the snapshot from Ingestion's");
        var written = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(analysis, options);
        Assert.That(written, Is.EqualTo(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(analysis, reflection)), "the bytes on disk and between nodes do not change");
        Assert.That(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(snapshot, options), Is.EqualTo(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(snapshot, reflection)));
        var read = System.Text.Json.JsonSerializer.Deserialize<Analysis>(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(analysis, reflection), options)!;
        Assert.That(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(read, reflection), Is.EqualTo(written), "what an older process wrote reads back whole");
    }

    [Test]
    public async Task CitationTopics_WarmedAtStart_LeaveTheLiveAnalysisNothingToEmbed()
    {
        await Testing.SendAsync(new HuiHui.Modules.Education.Contracts.IngestDocuments([Education.StarterCorpusRecallTests.CorpusFolder()]));
        await using var services = ModuleServices.BuildOnSystemClock(Settings());
        var model = services.Get<HuiHui.Modules.Education.Embeddings.EmbeddingModel>();
        var topics = AnalysisRunner.CitationTopics().ToList();
        Assert.That(topics, Has.Count.EqualTo(5 * 9).And.Unique, "each regime or none × each strategy the meta names");

        await using (var scope = services.Provider.CreateAsyncScope())
        {
            var warmed = await services.Get<AnalysisRunner>().WarmCitationsAsync(scope.ServiceProvider.GetRequiredService<IMediator>(), CancellationToken.None);
            Assert.That(warmed, Is.EqualTo(topics.Count));
        }

        Assert.That(model.QueriesEmbedded, Is.EqualTo(topics.Count), "each topic's question embedded once");
        var cache = services.Get<IEnhancedCache>();
        foreach (var topic in topics)
        {
            await cache.RemoveAsync(AnalysisRunner.CitationKey(topic)); // the searches expired: the next analysis searches again
        }

        var analysis = await AnalyzeAsync(services, "SPY");

        Assert.That(analysis.Meta.Citations, Is.Not.Null.And.Not.Empty);
        Assert.That(model.QueriesEmbedded, Is.EqualTo(topics.Count), "the analysis's topic was one of the warmed ones: its vector came from the query cache");
    }

    /// <summary>A headline scorer that never answers in time, or fails.</summary>
    private sealed class BrokenScorer(bool slow) : HuiHui.Modules.Experts.Sentiment.IHeadlineScorer
    {
        public string Name => "broken";

        public async ValueTask<(string Label, double Score)> ScoreAsync(string text, CancellationToken cancellationToken)
        {
            if (slow)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken); // a scorer stuck on a remote model
                return ("neutral", 0);
            }

            throw new InvalidOperationException("model file unreadable");
        }
    }
}
