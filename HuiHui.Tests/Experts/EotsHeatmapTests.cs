using System.Text.Json;
using System.Text.Json.Nodes;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using HuiHui.Tests.Ingestion;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Experts;

/// <summary>SGDHP, UGCH and IVSDH by hand (docs/metrics.md, "EOTS heatmaps"), and the day's replay from the archive.</summary>
public sealed class EotsHeatmapTests : DatabaseTest
{
    private static readonly DateOnly Expiry = new(2026, 12, 18);

    private static EotsHeatmaps.Cells Cells(double[] strikes, double[]? absGamma = null, double[]? gamma = null, double[]? delta = null, double[]? iv = null)
    {
        double[][] Row(double[]? values) => [values ?? new double[strikes.Length]];
        return new EotsHeatmaps.Cells(strikes, [Expiry], Row(gamma), Row(absGamma), Row(delta), Row(null), Row(null), Row(null), Row(null), Row(iv));
    }

    [Test]
    public void Sgdhp_WeighsGammaByProximityToSpot_SignedAndScaledByTheCellsDelta()
    {
        var cells = Cells([95, 100, 105], absGamma: [1000, 2000, 1000], delta: [-500, 100, 1000]);

        var sgdhp = EotsHeatmaps.Sgdhp(cells, spot: 100, proximity: 0.05);

        // Proximity exp(−½ × ((K − 100) / 5)²): e^−0.5 = 0.60653 at 95 and 105, 1 at 100; delta ÷ max |delta| 1000.
        Assert.That(sgdhp[0], Is.EqualTo(new[] { -1000 * Math.Exp(-0.5) * 0.5, 2000 * 0.1, 1000 * Math.Exp(-0.5) }).Within(1e-9));
    }

    [Test]
    public void Ugch_IsTheWeightedSumOfZScoredExposures_FlatOnesCountingNothing()
    {
        var cells = Cells([100, 105], gamma: [1, 3], delta: [5, 5]);

        var ugch = EotsHeatmaps.Ugch(cells, new UgchWeights());

        // Gamma: mean 2, sd 1 → z −1, +1, weight 2.0; delta does not vary → 0; the other greeks are all zero.
        Assert.That(ugch[0], Is.EqualTo(new[] { -2.0, 2.0 }).Within(1e-12));
    }

    [Test]
    public void Ivsdh_IsTheCellsImpliedVolChangeInVolPoints_ZeroWhereEitherChainHasNoQuote()
    {
        var now = Cells([100, 105], iv: [0.20, 0.25]);
        var open = Cells([95, 100], iv: [0.30, 0.18]);

        Assert.That(EotsHeatmaps.Ivsdh(now, open)[0], Is.EqualTo(new[] { 2.0, 0 }).Within(1e-9));
    }

    [Test]
    public async Task TheDaysReplay_ShowsEachArchivedChain_AndIvsdhMeasuresFromTheFirst()
    {
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "1.json"), WithIv("2026-11-24 10:00:00", 0));
        File.WriteAllBytes(Path.Combine(folder, "2.json"), WithIv("2026-11-24 11:00:00", 0.01));
        File.WriteAllBytes(Path.Combine(folder, "3.json"), WithIv("2026-11-24 12:00:00", 0.03));
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

        await mediator.Send(new ArchiveSpooledSnapshots());
        var times = await mediator.Send(new GetHeatmapTimes("SPY", new DateOnly(2026, 11, 24)));
        Assert.That(times, Is.EqualTo(new[] { 15, 16, 17 }.Select(h => new DateTimeOffset(2026, 11, 24, h, 0, 0, TimeSpan.Zero))), "Eastern 10:00–12:00 is 15:00–17:00 UTC");
        Assert.That(await mediator.Send(new GetHeatmapTimes("SPY", new DateOnly(2026, 11, 23))), Is.Empty);

        var middle = await mediator.Send(new GetExposureHeatmap("SPY", ExposureKind.Ivsdh, StrikeRangePercent: 100, At: times[1]));
        var live = await mediator.Send(new GetExposureHeatmap("SPY", ExposureKind.Ivsdh, StrikeRangePercent: 100));
        var gammaThen = await mediator.Send(new GetExposureHeatmap("SPY", ExposureKind.Gamma, StrikeRangePercent: 100, At: times[0]));

        Assert.That((middle!.AsOf, middle.Reference), Is.EqualTo((times[1], (DateTimeOffset?)times[0])));
        Assert.That(middle.Values.SelectMany(row => row), Has.All.EqualTo(1.0).Within(1e-6), "every IV one point higher than at the first chain");
        Assert.That((live!.AsOf, live.Reference), Is.EqualTo((times[2], (DateTimeOffset?)times[0])), "the cached snapshot against the same first chain");
        Assert.That(live.Values.SelectMany(row => row), Has.All.EqualTo(3.0).Within(1e-6));
        Assert.That(gammaThen!.AsOf, Is.EqualTo(times[0]));
        Assert.That(await mediator.Send(new GetExposureHeatmap("SPY", At: times[0].AddMinutes(1))), Is.Null, "no chain archived then");

        var first = await mediator.Send(new GetExposureHeatmap("SPY", ExposureKind.Ivsdh, StrikeRangePercent: 100, At: times[0]));
        Assert.That(first!.Values.SelectMany(row => row), Has.All.EqualTo(0.0), "the first chain against itself");
    }

    /// <summary>The CBOE sample at <paramref name="eastern"/> with every implied volatility raised by <paramref name="add"/>.</summary>
    private static byte[] WithIv(string eastern, double add)
    {
        var root = JsonNode.Parse(RealFeedTests.Cboe(eastern))!;
        foreach (var option in root["data"]!["options"]!.AsArray())
        {
            option!["iv"] = option["iv"]!.GetValue<double>() + add;
        }

        return JsonSerializer.SerializeToUtf8Bytes(root);
    }
}
