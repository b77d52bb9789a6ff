using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Experts;

/// <summary>Levels through the day: the stored meta responses' levels of one day, oldest first, with the day's minute bars.</summary>
public sealed class LevelsTimelineTests : DatabaseTest
{
    private static ExpertResponseRecord Meta(DateTimeOffset asOf, string levels) => new()
    {
        Id = Guid.CreateVersion7(), CycleId = Guid.CreateVersion7(), ExpertId = "meta", Symbol = "LVL", Confidence = 0.5, AsOf = asOf, CreatedAt = asOf,
        Details = "{\"bias\":\"bullish\",\"levels\":{" + levels + "}}",
    };

    [Test]
    public async Task TheDaysLevels_AsEachAnalysisNamedThem_WithTheArchivedMinutePrices()
    {
        var day = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        await Testing.InsertAsync<ExpertsDbContext>(
            Meta(day.AddHours(15), "\"zeroGamma\": 99.5, \"callWall\": 105, \"putWall\": 95, \"maxPain\": 100, \"hedgeWall\": null"),
            Meta(day.AddHours(14.5), "\"zeroGamma\": 98.25, \"callWall\": 105, \"putWall\": 94, \"maxPain\": 100"),
            Meta(day.AddHours(16), "\"zeroGamma\": null, \"callWall\": 106, \"putWall\": 95, \"maxPain\": 101, \"hedgeWall\": 102"),
            Meta(day.AddDays(-1).AddHours(20), "\"zeroGamma\": 90, \"callWall\": 100"));
        await Sql.ExecuteAsync("""
            INSERT INTO market_data.underlying_ohlc (symbol, interval, ts, open, high, low, close, volume, source, ingested_at) VALUES
            ('LVL', '1m', '2026-11-24 14:30:00+00', 100, 100.2, 99.9, 100.1, 1000, 'file', now()),
            ('LVL', '1m', '2026-11-24 14:31:00+00', 100.1, 100.4, 100, 100.3, 1200, 'file', now()),
            ('LVL', '1m', '2026-11-25 14:30:00+00', 101, 101, 101, 101, 10, 'file', now())
            """);

        var latest = await Testing.SendAsync(new GetLevelsTimeline("lvl"));
        var before = await Testing.SendAsync(new GetLevelsTimeline("LVL", new DateOnly(2026, 11, 23)));

        Assert.That(latest!.Day, Is.EqualTo(new DateOnly(2026, 11, 24)), "the day of the latest stored analysis");
        Assert.That(latest.Readings, Is.EqualTo(new[]
        {
            new LevelsReading(day.AddHours(14.5), 98.25, 105, 94, 100, null),
            new LevelsReading(day.AddHours(15), 99.5, 105, 95, 100, null),
            new LevelsReading(day.AddHours(16), null, 106, 95, 101, 102),
        }));
        Assert.That(latest.Bars.Select(b => b.Close), Is.EqualTo(new[] { 100.1, 100.3 }), "that day's minutes only");
        Assert.That(before!.Readings.Select(r => (r.ZeroGamma, r.CallWall, r.PutWall)), Is.EqualTo(new[] { ((double?)90, (double?)100, (double?)null) }));
        Assert.That(await Testing.SendAsync(new GetLevelsTimeline("NONE")), Is.Null);
    }
}
