using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers.Files;
using HuiHui.Modules.Ingestion.Recording;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Ingestion;

/// <summary>The opt-in recorder: raw payloads kept per fetch, replayable byte for byte, under a size cap.</summary>
public sealed class RecordingTests : DatabaseTest
{
    private FakeProviderServer server = null!;

    [SetUp]
    public async Task StartServer() => server = await FakeProviderServer.StartAsync();

    [TearDown]
    public async Task StopServer() => await server.DisposeAsync();

    private Dictionary<string, string?> Settings(string folder, long maxBytes = 1L << 30)
    {
        var settings = ProviderHttpTests.Settings(server.BaseUrl);
        settings["HuiHui:Ingestion:Recording:Enabled"] = "true";
        settings["HuiHui:Ingestion:Recording:Path"] = folder;
        settings["HuiHui:Ingestion:Recording:MaxBytes"] = maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    [Test]
    public async Task EachFetch_IsRecordedCompressedInItsOwnFolder_AndReplaysToTheSameSnapshot()
    {
        server.Handler = FakeProviderServer.Tradier;
        var folder = CacheHarness.NewFolder();
        await using var services = ModuleServices.BuildOnSystemClock(Settings(folder));
        await using var scope = services.Provider.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        var live = await mediator.Send(new IngestSnapshot("SPY", "tradier"));

        var fetches = Directory.GetDirectories(Path.Combine(folder, live.AsOf!.Value.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "tradier"));
        Assert.That(fetches, Has.Length.EqualTo(1));
        var files = Directory.GetFiles(fetches[0]).Select(Path.GetFileName).Order().ToList();
        Assert.That(files, Has.Count.EqualTo(4));
        Assert.That(new[] { files[0], files[1], files[3] }, Is.EqualTo(new[] { "01-quotes.json.gz", "02-expirations.json.gz", "04-timesales.json.gz" }));
        Assert.That(files[2], Does.Match(@"^03-chains-\d{4}-\d{2}-\d{2}\.json\.gz$"), "one chain per expiry, named by it");
        using (var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(fetches[0], files[0]!)), System.IO.Compression.CompressionMode.Decompress))
        using (var copy = new MemoryStream())
        {
            gzip.CopyTo(copy);
            Assert.That(copy.ToArray(), Is.EqualTo(Samples.Bytes("tradier_quotes.json")), "the payload exactly as it came");
        }

        var replayed = new FileReplayProvider(folder).All("SPY").Single();
        Assert.That((replayed.AsOf, replayed.Contracts.Count, replayed.Spot), Is.EqualTo((live.AsOf!.Value.AddTicks(-(live.AsOf.Value.Ticks % TimeSpan.TicksPerMillisecond)), live.Contracts, 602.35)));
        Assert.That(replayed.Bars, Is.Not.Empty, "the recorded time and sales come back with it");
    }

    [Test]
    public async Task OverTheCap_TheOldestDayGoesFirst()
    {
        server.Handler = FakeProviderServer.Tradier;
        var folder = CacheHarness.NewFolder();
        var old = Path.Combine(folder, "2020-01-02", "tradier", "20200102T150000.000Z-SPY");
        var older = Path.Combine(folder, "2020-01-01", "tradier", "20200101T150000.000Z-SPY");
        foreach (var day in new[] { old, older })
        {
            Directory.CreateDirectory(day);
            File.WriteAllBytes(Path.Combine(day, "01-quotes.json.gz"), new byte[700_000]);
        }

        await using var services = ModuleServices.BuildOnSystemClock(Settings(folder, maxBytes: 1_048_576));
        await using var scope = services.Provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new IngestSnapshot("SPY", "tradier"));

        Assert.That(Directory.Exists(Path.Combine(folder, "2020-01-01")), Is.False, "the oldest day is removed first");
        Assert.That(Directory.Exists(old), Is.True, "and only as much as the cap needs");
        Assert.That(Directory.GetDirectories(folder).Select(Path.GetFileName).Max(), Is.Not.EqualTo("2020-01-02"), "today's recording stays");
    }

    [Test]
    public void PayloadNames_ComeFromTheEndpoint()
    {
        Assert.That(PayloadRecorder.NameOf(new Uri("http://x/v1/markets/options/chains?symbol=SPY&expiration=2026-12-18&greeks=true")), Is.EqualTo("chains-2026-12-18"));
        Assert.That(PayloadRecorder.NameOf(new Uri("http://x/api/global/delayed_quotes/options/_SPX.json")), Is.EqualTo("_SPX"));
        Assert.That(PayloadRecorder.NameOf(null), Is.EqualTo("payload"));
    }
}
