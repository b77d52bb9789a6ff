using HuiHui.Modules.Ingestion;
using HuiHui.Modules.Ingestion.Archive;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Tests.Cache;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HuiHui.Tests.Ingestion;

/// <summary>The spool keeps only what the archive lacks, in files by minute, and never grows past its cap.</summary>
public sealed class SnapshotSpoolTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);

    private static (SnapshotSpool Spool, FakeTimeProvider Clock, string Folder) NewSpool(long maxBytes = 512L * 1024 * 1024)
    {
        var folder = CacheHarness.NewFolder();
        var clock = new FakeTimeProvider(T0);
        return (new SnapshotSpool(Options.Create(new IngestionOptions { SpoolPath = folder, SpoolMaxBytes = maxBytes, ArchiveChainEvery = TimeSpan.FromMinutes(5) }), clock), clock, folder);
    }

    private static ChainSnapshot Snapshot(int minute, IReadOnlyList<Bar> bars, IReadOnlyList<NewsItem>? news = null)
    {
        var market = new SimulatedMarket(Options.Create(new SimulatorOptions { HistoryDays = 20 }), TimeProvider.System);
        var snapshot = market.Snapshot("SPY", (20L * TradingCalendar.MinutesPerDay) + 60 + minute);
        return snapshot with { Bars = bars, News = news ?? [] };
    }

    private static Bar Minute(int minute, double close) => new("SPY", Bar.Minute, T0.AddMinutes(minute), close, close, close, close, 100);

    private static List<ChainSnapshot> Lines(string folder) =>
        [.. Directory.GetFiles(folder, "*.jsonl").Order(StringComparer.Ordinal).SelectMany(SnapshotSpool.Read)];

    [Test]
    public void ARepeatedSnapshot_SpoolsNothing_NewBarsAndHeadlinesOnlyOnce_AndAChangedFormingBarAgain()
    {
        var (spool, clock, folder) = NewSpool();
        var headline = new NewsItem("simulated:1", "SPY drifts", null, "Desk", null, T0, ["SPY"]);

        spool.Append(Snapshot(0, [Minute(0, 400), Minute(1, 401)], [headline]));
        clock.Advance(TimeSpan.FromSeconds(1));
        spool.Append(Snapshot(0, [Minute(0, 400), Minute(1, 401)], [headline]));
        clock.Advance(TimeSpan.FromSeconds(1));
        spool.Append(Snapshot(0, [Minute(0, 400), Minute(1, 401.5)], [headline]));
        clock.Advance(TimeSpan.FromSeconds(1));
        spool.Append(Snapshot(1, [Minute(1, 401.5), Minute(2, 402)], [headline, headline with { Id = "simulated:2" }]));

        var lines = Lines(folder);
        Assert.That(lines, Has.Count.EqualTo(3), "the repeat wrote nothing");
        Assert.That(lines[0].Contracts, Is.Not.Empty, "the first chain is archived");
        Assert.That(lines[1].Contracts, Is.Empty, "the next chain only after ArchiveChainEvery");
        Assert.That(lines[1].Bars.Select(b => b.Close), Is.EqualTo(new[] { 401.5 }), "the forming bar again, as it changed");
        Assert.That(lines[2].Bars.Select(b => b.Close), Is.EqualTo(new[] { 402.0 }));
        Assert.That(lines[2].News.Select(n => n.Id), Is.EqualTo(new[] { "simulated:2" }));
        Assert.That(lines, Has.All.Matches<ChainSnapshot>(s => s.Prints.Count == 0 && s.Flow is null));
    }

    [Test]
    public void AFullSpool_DropsItsOldestFiles_CountsTheirSnapshots_AndStaysUnderItsCap()
    {
        var (spool, clock, folder) = NewSpool(maxBytes: 1_000_000);
        var dropped = 0;
        for (var minute = 0; minute < 40; minute++)
        {
            // A chain every 5 minutes (~300 KB each): one file per minute.
            dropped += spool.Append(Snapshot(minute, [Minute(minute, 400 + minute)]));
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var (files, bytes) = spool.Size();
        Assert.That(bytes, Is.LessThanOrEqualTo(1_000_000));
        Assert.That(dropped, Is.GreaterThan(0).And.EqualTo(spool.Dropped));
        Assert.That(files + dropped, Is.EqualTo(40), "every snapshot is either still spooled or counted as dropped");
        var kept = Lines(folder);
        Assert.That(kept.Min(s => s.Bars[0].Start), Is.EqualTo(T0.AddMinutes(dropped)), "the oldest went first");
    }
}
