using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HuiHui.Tests.Experts;

/// <summary>The heatmap agrees with the metrics: summed down its expiries, each strike is the by-strike exposure of the analysis.</summary>
public sealed class HeatmapTests : DatabaseTest
{
    [Test]
    public async Task SummedOverExpiries_EachStrikeIsTheAnalysisByStrikeExposure_ByOpenInterestAndByVolume()
    {
        var market = new SimulatedMarket(Options.Create(new SimulatorOptions { HistoryDays = 20 }), TimeProvider.System);
        var snapshot = market.Snapshot("HEAT", 20L * TradingCalendar.MinutesPerDay + 120) with { Symbol = "HEAT" };
        await Testing.Factory.Services.GetRequiredService<IEnhancedCache>().SetAsync(MarketDataKeys.Snapshot("HEAT"), snapshot);
        var metrics = Testing.Factory.Services.GetRequiredService<MetricsCalculator>().Compute(snapshot, [], []);

        var gamma = await Testing.SendAsync(new GetExposureHeatmap("HEAT", ExposureKind.Gamma));
        var charmByVolume = await Testing.SendAsync(new GetExposureHeatmap("HEAT", ExposureKind.Charm, ByVolume: true, StrikeRangePercent: 5));
        var delta = await Testing.SendAsync(new GetExposureHeatmap("HEAT", ExposureKind.Delta, StrikeRangePercent: 100));

        Assert.That(gamma!.Strikes, Has.All.InRange(0.9 * snapshot.Spot, 1.1 * snapshot.Spot));
        Assert.That(gamma.Expiries, Is.Ordered.And.Unique);
        Assert.That(gamma.Values, Has.All.Count.EqualTo(gamma.Strikes.Count));
        Assert.That(gamma.Expiries, Has.Count.EqualTo(metrics.Exposures.ByExpiry.Count));
        var byStrike = metrics.Exposures.ByStrike.ToDictionary(s => s.Strike);
        for (var k = 0; k < gamma.Strikes.Count; k++)
        {
            var strike = gamma.Strikes[k];
            Assert.That(gamma.Values.Sum(row => row[k]), Is.EqualTo(byStrike[strike].NetGex).Within(0.01 * gamma.Expiries.Count + 1e-6 * Math.Abs(byStrike[strike].NetGex)), $"GEX at {strike}");
        }

        for (var k = 0; k < charmByVolume!.Strikes.Count; k++)
        {
            var strike = charmByVolume.Strikes[k];
            Assert.That(charmByVolume.Values.Sum(row => row[k]), Is.EqualTo(byStrike[strike].ByVolume.Charm).Within(0.01 * charmByVolume.Expiries.Count + 1e-6 * Math.Abs(byStrike[strike].ByVolume.Charm)));
        }

        Assert.That(delta!.Values.Sum(row => row.Sum()), Is.EqualTo(metrics.Exposures.ByStrike.Sum(s => s.Dex)).Within(0.01 * delta.Strikes.Count * delta.Expiries.Count + 1),
            "every strike within 100 %: the total delta exposure");
        Assert.That(await Testing.SendAsync(new GetExposureHeatmap("NOTHERE")), Is.Null);
    }
}
