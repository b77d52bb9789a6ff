using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Ingestion.Archive;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Ingestion;

/// <summary>Fetch → validate → cache → spool → archive, and backfill, against the real database.</summary>
public sealed class IngestionPipelineTests : DatabaseTest
{
    private FakeProviderServer server = null!;

    [SetUp]
    public async Task StartServer() => server = await FakeProviderServer.StartAsync();

    [TearDown]
    public async Task StopServer() => await server.DisposeAsync();

    private Dictionary<string, string?> Settings(params string[] spyProviders)
    {
        var settings = ProviderHttpTests.Settings(server.BaseUrl);
        settings["HuiHui:Ingestion:Http:MaxRetries"] = "0";
        settings["HuiHui:Ingestion:ArchiveChainEvery"] = "00:00:00";
        for (var i = 0; i < spyProviders.Length; i++)
        {
            settings[$"HuiHui:Ingestion:SymbolProviders:SPY:{i}"] = spyProviders[i];
        }

        return settings;
    }

    private static async Task<T> SendAsync<T>(ModuleServices services, ICommand<T> command)
    {
        await using var scope = services.Provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command);
    }

    private static async Task<T> SendAsync<T>(ModuleServices services, IQuery<T> query)
    {
        await using var scope = services.Provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query);
    }

    [Test]
    public async Task AFileSourceWithALongPath_StillRaisesItsAlert_UnderACodeThatFits()
    {
        await using var services = ModuleServices.BuildOnSystemClock(Settings("simulated"));
        var source = "file:" + Path.Combine(Path.GetTempPath(), "huihui-tests", "a-folder-name-long-enough-to-pass-the-limit", "missing-chain.json");
        var code = AlertCodes.Named("provider-down", source);

        var result = await SendAsync(services, new IngestSnapshot("SPY", source, OnDemand: true));

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors.Single(), Does.Contain("does not exist"));
        Assert.That(code, Has.Length.LessThanOrEqualTo(AlertCodes.MaxLength).And.Contains("missing-chain.json"));
        Assert.That(await Sql.OpenAlertsAsync("ingestion", code), Is.EqualTo(1), "the alert is recorded, not refused for its length");
    }

    [Test]
    public async Task FailingProvider_FallsBackToTheNext_RaisesAnAlert_AndResolvesItWhenBack()
    {
        server.Handler = context => { context.Response.StatusCode = 500; return Task.CompletedTask; };
        await using var services = ModuleServices.BuildOnSystemClock(Settings("tradier", "simulated"));

        var degraded = await SendAsync(services, new IngestSnapshot("SPY"));

        Assert.That((degraded.Succeeded, degraded.Source), Is.EqualTo((true, "simulated")));
        Assert.That(degraded.Errors.Single(), Does.StartWith("tradier: HTTP 500"));
        Assert.That(await Sql.OpenAlertsAsync("ingestion", "provider-down:tradier"), Is.EqualTo(1));
        var cached = await services.Get<IEnhancedCache>().TryGetAsync(MarketDataKeys.Snapshot("SPY"));
        Assert.That(cached!.Value.Value.Source, Is.EqualTo("simulated"));

        server.Handler = FakeProviderServer.Tradier;
        var recovered = await SendAsync(services, new IngestSnapshot("SPY"));

        Assert.That((recovered.Succeeded, recovered.Source, recovered.Contracts), Is.EqualTo((true, "tradier", 12)));
        Assert.That(await Sql.OpenAlertsAsync("ingestion", "provider-down:tradier"), Is.EqualTo(0));
        await using var scope = services.Provider.CreateAsyncScope();
        var status = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetIngestionStatus());
        Assert.That(status.Providers.Single(p => p.Name == "tradier").Healthy, Is.True, string.Join(", ", status.Providers));
        Assert.That(status.Symbols.Single(s => s.Symbol == "SPY").Providers, Is.EqualTo(new[] { "tradier", "simulated" }));
    }

    [Test]
    public async Task MalformedPayload_NeverReplacesTheLastGoodSnapshot()
    {
        server.Handler = FakeProviderServer.Tradier;
        await using var services = ModuleServices.BuildOnSystemClock(Settings("tradier"));
        var good = await SendAsync(services, new IngestSnapshot("SPY"));

        server.Handler = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"quotes":{"quote":[{"symbol":"SPY","last":""");
        };
        var bad = await SendAsync(services, new IngestSnapshot("SPY"));

        Assert.That(good.Succeeded, Is.True);
        Assert.That(bad.Succeeded, Is.False);
        Assert.That(bad.Errors.Single(), Does.StartWith("tradier: $.quotes.quote"));
        var cached = (await services.Get<IEnhancedCache>().TryGetAsync(MarketDataKeys.Snapshot("SPY")))!.Value;
        Assert.That((cached.Value.AsOf, cached.Value.Contracts.Count), Is.EqualTo((good.AsOf!.Value, 12)));
    }

    [Test]
    public async Task SpooledSnapshots_AreArchivedOnce_HoweverOftenTheyArrive()
    {
        await using var services = ModuleServices.Build(Settings("simulated"));
        var result = await SendAsync(services, new IngestSnapshot("SPY"));
        var snapshot = (await services.Get<IEnhancedCache>().TryGetAsync(MarketDataKeys.Snapshot("SPY")))!.Value.Value;
        var spool = services.Get<SnapshotSpool>();
        Assert.That(spool.Size().Files, Is.EqualTo(1), "the SnapshotIngested handler spooled it");

        var first = await SendAsync(services, new ArchiveSpooledSnapshots());
        spool.Append(snapshot); // the same snapshot again, e.g. replayed after a crash
        var second = await SendAsync(services, new ArchiveSpooledSnapshots());
        var third = await SendAsync(services, new ArchiveSpooledSnapshots());

        Assert.That(first, Is.EqualTo(new ArchiveReport(1, 1, result.Contracts, snapshot.Bars.Count, snapshot.News.Count)));
        Assert.That(second, Is.EqualTo(new ArchiveReport(1, 1, 0, 0, 0)));
        Assert.That(third, Is.EqualTo(new ArchiveReport(0, 0, 0, 0, 0)));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.options_chain WHERE underlying = 'SPY'"), Is.EqualTo(result.Contracts));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(DISTINCT as_of) FROM market_data.options_chain"), Is.EqualTo(1));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.underlying_ohlc WHERE \"interval\" = '1m'"), Is.EqualTo(30));
        Assert.That(spool.Size().Files, Is.Zero);
        var stored = await Sql.ScalarAsync<double>("SELECT strike FROM market_data.options_chain WHERE occ_symbol = $1", snapshot.Contracts[0].OccSymbol);
        Assert.That(stored, Is.EqualTo(snapshot.Contracts[0].Strike));
    }

    [Test]
    public async Task Backfill_FromSavedFiles_IsIdempotent()
    {
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(Samples.Folder, "tradier_history.json"), Path.Combine(folder, "SPY_history.json"));
        await using var services = ModuleServices.Build(Settings("simulated"));

        var first = await SendAsync(services, new BackfillHistory(["SPY"], 60, "file:" + folder));
        var second = await SendAsync(services, new BackfillHistory(["SPY"], 60, "file:" + folder));
        var missing = await SendAsync(services, new BackfillHistory(["QQQ"], 60, "file:" + folder));

        var days = Samples.Text("tradier_history.json").Split("\"date\"").Length - 1;
        Assert.That(first.Symbols.Single(), Is.EqualTo(new BackfillSymbolResult("SPY", "file", days, days, 0, null)));
        Assert.That(second.Symbols.Single(), Is.EqualTo(new BackfillSymbolResult("SPY", "file", days, 0, 0, null)));
        Assert.That(missing.Symbols.Single().Error, Does.Contain("no daily history of QQQ"));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.underlying_ohlc WHERE symbol = 'SPY' AND \"interval\" = '1d'"), Is.EqualTo(days));
    }

    [Test]
    public async Task DailyBars_AreTheStoredDays_InTheirWindow_OldestFirst_WithoutMinuteBars()
    {
        await using var services = ModuleServices.Build(Settings("simulated"));
        await Sql.ExecuteAsync("""
            INSERT INTO market_data.underlying_ohlc (symbol, "interval", ts, open, high, low, close, volume, source, ingested_at) VALUES
              ('IWM', '1d', '2026-11-19 00:00+00', 230, 232, 229, 231.5, 1000, 'test', now()),
              ('IWM', '1d', '2026-11-17 00:00+00', 228, 230, 227, 229.5, 1100, 'test', now()),
              ('IWM', '1d', '2026-11-18 00:00+00', 229, 231, 228, 230.5, 1200, 'test', now()),
              ('IWM', '1d', '2026-11-20 00:00+00', 231, 233, 230, 232.5, 1300, 'test', now()),
              ('IWM', '1d', '2026-11-10 00:00+00', 220, 222, 219, 221.5, 1400, 'test', now()),
              ('IWM', '1m', '2026-11-19 14:30+00', 230, 230.2, 229.9, 230.1, 10, 'test', now()),
              ('DIA', '1d', '2026-11-19 00:00+00', 440, 442, 439, 441.5, 900, 'test', now())
            """);

        // Seven days before 20 Nov 00:00 UTC (asked as US Eastern time: the same instant): 13–19 Nov, 20 Nov itself excluded.
        var bars = await SendAsync(services, new GetDailyBars("iwm", 7, new DateTimeOffset(2026, 11, 19, 19, 0, 0, TimeSpan.FromHours(-5))));

        Assert.That(bars.Select(b => (b.Symbol, b.Interval, b.Start.UtcDateTime.Day, b.Close, b.Volume)), Is.EqualTo(new[]
        {
            ("IWM", "1d", 17, 229.5, 1100L), ("IWM", "1d", 18, 230.5, 1200L), ("IWM", "1d", 19, 231.5, 1000L),
        }), "the symbol's daily bars in [before − days, before), oldest first; minute bars, other symbols and later days left out");
        Assert.That(bars.Select(b => b.Start.Offset), Is.All.EqualTo(TimeSpan.Zero), "times read back in UTC");
        Assert.That(await SendAsync(services, new GetDailyBars("QQQ", 30, DateTimeOffset.UtcNow)), Is.Empty);
    }

    [Test]
    public async Task Backfill_FromTheSimulatedMarket_StoresItsHistoryOnce()
    {
        await using var services = ModuleServices.Build(Settings("simulated"));

        var first = await SendAsync(services, new BackfillHistory(["SPY", "QQQ"], 30));
        var second = await SendAsync(services, new BackfillHistory(["SPY", "QQQ"], 30));

        Assert.That(first.Symbols.Select(s => (s.Symbol, s.Source, s.Error)), Is.EqualTo(new[] { ("SPY", (string?)"simulated", (string?)null), ("QQQ", "simulated", null) }));
        Assert.That(first.Symbols.Select(s => s.Inserted), Is.All.InRange(19, 23), "about 21 trading days in 30 calendar days");
        Assert.That(second.Symbols.Select(s => s.Inserted + s.Updated), Is.All.Zero);
    }

    [Test]
    public async Task BadRequests_AreRefusedNamingTheField()
    {
        await using var services = ModuleServices.Build(Settings("simulated"));

        Assert.That(() => SendAsync(services, new BackfillHistory([], 0, "nasdaq")), Throws.TypeOf<RequestValidationException>()
            .With.Message.Contains("Symbols").And.Message.Contains("Days").And.Message.Contains("unknown source 'nasdaq'"));
        Assert.That(() => SendAsync(services, new IngestSnapshot("SPY; DROP TABLE")), Throws.TypeOf<RequestValidationException>().With.Message.Contains("not a ticker symbol"));
        Assert.That(() => SendAsync(services, new SetIngestionInterval(TimeSpan.Zero)), Throws.TypeOf<RequestValidationException>().With.Message.Contains("between 1 second and 1 hour"));
        Assert.That(() => SendAsync(services, new SetSymbolProviders("SPY", ["bloomberg"])), Throws.TypeOf<RequestValidationException>().With.Message.Contains("unknown provider 'bloomberg'"));
    }
}
