using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Learning.Features;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Learning;

public sealed class FeatureStoreTests : DatabaseTest
{
    [Test]
    public async Task EachAnalysis_BecomesOneFeatureVectorPerSnapshot()
    {
        await using var services = ModuleServices.BuildOnSystemClock(new Dictionary<string, string?>
        {
            ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Ingestion:SpoolPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Experts:SpoolPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Experts:AnalyzeEveryCycle"] = "false",
        });
        var writer = services.Get<FeatureWriter>();
        await writer.StartAsync(CancellationToken.None);
        Analysis first, second;
        await using (var scope = services.Provider.CreateAsyncScope())
        {
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            first = await mediator.Send(new AnalyzeSymbol("SPY"));
            second = await mediator.Send(new AnalyzeSymbol("SPY")); // the same cached snapshot analysed again
        }

        await Poller.UntilAsync(() => Task.FromResult(writer.Written), n => n >= 2, what: "the feature vectors to be written");

        Assert.That(second.AsOf, Is.EqualTo(first.AsOf));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM training.feature_vectors"), Is.EqualTo(1), "one vector per symbol, as-of and schema");
        var values = await Sql.ScalarAsync<float[]>("SELECT \"values\" FROM training.feature_vectors");
        Assert.That(values, Has.Length.EqualTo(FeatureSchema.Names.Length));
        Assert.That(values[Array.IndexOf(FeatureSchema.Names, "meta_conviction")], Is.EqualTo((float)first.Meta.Conviction).Within(1e-6));
        Assert.That(values[Array.IndexOf(FeatureSchema.Names, "atm_iv")], Is.EqualTo((float)first.Metrics.Volatility.AtmIv!.Value).Within(1e-6));
        Assert.That(await Sql.ScalarAsync<string>("SELECT regime FROM training.feature_vectors"), Is.EqualTo(first.Regime!.Regime.ToString()));
        Assert.That(await Sql.ScalarAsync<DateTime>("SELECT as_of FROM training.feature_vectors"), Is.EqualTo(first.AsOf.UtcDateTime), "features carry the snapshot's time, nothing later");
        await writer.StopAsync(CancellationToken.None);
    }
}
