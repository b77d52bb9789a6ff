using System.Text;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers;
using HuiHui.Modules.Ingestion.Providers.Files;
using HuiHui.Modules.Ingestion.Providers.News;
using HuiHui.Modules.Ingestion.Validation;
using HuiHui.Tests.Cache;

namespace HuiHui.Tests.Ingestion;

public sealed class FileReplayAndNewsTests
{
    [Test]
    public async Task Replay_OfTheSampleFolder_GivesEachSnapshotInTimeOrder_ThenStaysOnTheLast()
    {
        var replay = new FileReplayProvider(Samples.Folder);

        var first = await replay.GetSnapshotAsync("SPY", CancellationToken.None);
        var second = await replay.GetSnapshotAsync("spy", CancellationToken.None);
        var third = await replay.GetSnapshotAsync("SPY", CancellationToken.None);

        Assert.That(first.AsOf, Is.LessThan(second.AsOf));
        Assert.That(second.AsOf, Is.EqualTo(new DateTimeOffset(2026, 11, 24, 21, 15, 0, TimeSpan.Zero)), "the CBOE file is the later one");
        Assert.That(third, Is.SameAs(second).Or.EqualTo(second));
        Assert.That(new[] { first, second }.Select(s => (s.Source, s.Contracts.Count, s.Spot)), Is.All.EqualTo(("file", 12, 602.35)));
        Assert.That(second.Bars, Is.Not.Empty, "the time-and-sales file applies to the folder's one symbol");
        Assert.That(first.Bars, Is.Empty, "but never with bars after a snapshot's time");
        Assert.That(SnapshotValidator.Validate(first).Dropped, Is.Empty);
        var daily = await replay.GetDailyBarsAsync("SPY", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), CancellationToken.None);
        Assert.That(daily, Is.Not.Empty.And.Ordered.By(nameof(Bar.Start)));
    }

    [Test]
    public void Replay_OfAMissingFolderOrSymbol_SaysWhatIsMissing()
    {
        Assert.That(() => new FileReplayProvider("/nonexistent/huihui").GetSnapshotAsync("SPY", CancellationToken.None),
            Throws.TypeOf<ProviderUnavailableException>().With.Message.Contains("does not exist"));
        Assert.That(() => new FileReplayProvider(Samples.Folder).GetSnapshotAsync("TSLA", CancellationToken.None),
            Throws.TypeOf<ProviderUnavailableException>().With.Message.Contains("no snapshot of TSLA"));
    }

    [Test]
    public async Task CsvChainFormat_RoundTripsASimulatedChain_AndReportsBadRows()
    {
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        var snapshot = SimulatedMarketTests.Market().Snapshot("QQQ");
        await using (var writer = new StreamWriter(Path.Combine(folder, "qqq.csv")))
        {
            CsvChainFormat.Write(writer, snapshot);
        }

        var replayed = await new FileReplayProvider(folder).GetSnapshotAsync("QQQ", CancellationToken.None);

        Assert.That((replayed.AsOf, replayed.Spot, replayed.Contracts.Count), Is.EqualTo((snapshot.AsOf, snapshot.Spot, snapshot.Contracts.Count)));
        Assert.That(replayed.Contracts.Select(c => (c.OccSymbol, c.Bid, c.Ask, c.OpenInterest, c.ImpliedVol)),
            Is.EqualTo(snapshot.Contracts.Select(c => (c.OccSymbol, c.Bid, c.Ask, c.OpenInterest, c.ImpliedVol))));

        File.WriteAllText(Path.Combine(folder, "bad.csv"), CsvChainFormat.Header + "\n2026-11-24T20:00:00Z,IWM,200,IWM261218C00200000,abc,1,,1,1,0.2\n");
        Assert.That(() => CsvChainFormat.Read(Path.Combine(folder, "bad.csv")),
            Throws.TypeOf<ProviderPayloadException>().With.Property(nameof(ProviderPayloadException.Field)).EqualTo("bid").And.Message.Contains("'abc' is not a number"));
        File.WriteAllText(Path.Combine(folder, "columns.csv"), "as_of,underlying\n2026-11-24T20:00:00Z,IWM\n");
        Assert.That(() => CsvChainFormat.Read(Path.Combine(folder, "columns.csv")), Throws.TypeOf<ProviderPayloadException>().With.Message.Contains("missing column 'spot'"));
    }

    [Test]
    public void AlphaVantage_ReadsHeadlines_WithStableProviderQualifiedIds()
    {
        var items = AlphaVantageNews.Parse(Samples.Bytes("alphavantage_news.json"));

        Assert.That(items.Select(i => i.Headline), Is.EqualTo(new[] { "Index funds draw record inflows as volatility fades", "Treasury yields climb after strong retail sales" }));
        Assert.That(items[0].Id, Does.Match("^alphavantage:[0-9a-f]{24}$"));
        Assert.That(AlphaVantageNews.Parse(Samples.Bytes("alphavantage_news.json"))[0].Id, Is.EqualTo(items[0].Id));
        Assert.That(items[0].Tickers, Is.EqualTo(new[] { "SPY", "QQQ" }));
        Assert.That(items[0].PublishedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 24, 20, 30, 0, TimeSpan.Zero)));
    }

    [Test]
    public void AlphaVantage_RefusalsAreProviderFailures()
    {
        var limited = """{"Information": "Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day."}""";

        Assert.That(() => AlphaVantageNews.Parse(Encoding.UTF8.GetBytes(limited)), Throws.TypeOf<ProviderUnavailableException>().With.Message.Contains("rate limit"));
        Assert.That(() => AlphaVantageNews.Parse("""{"items": "0"}"""u8), Throws.TypeOf<ProviderPayloadException>().With.Property(nameof(ProviderPayloadException.Field)).EqualTo("feed"));
    }
}
