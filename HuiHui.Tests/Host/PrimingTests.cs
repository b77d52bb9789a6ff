using HuiHui.Modules.Experts.Orchestration;

namespace HuiHui.Tests.Host;

/// <summary>The code a one-shot <c>analyze</c> runs on a spare core while its host is built (<c>ModuleDescriptor.Prime</c>).</summary>
public sealed class PrimingTests
{
    [Test]
    public void EveryModulesPrime_RunsWithoutServicesOrFailure()
    {
        var primed = Program.Modules.Where(m => m.Prime is not null).ToList();

        Assert.That(primed.Select(m => m.Name), Is.SupersetOf(new[] { "Cache", "Experts" }),
            "the modules whose cold code a first analysis waits for prime it: the analysis itself, the cache's disk level");
        foreach (var module in primed)
        {
            // The host swallows a primer's failure (it only costs speed): a failing one would go unnoticed but for this.
            Assert.DoesNotThrow(() => module.Prime!(), module.Name);
        }
    }

    [Test]
    public void TheAnalysisPrimer_RunsTheWholeAnalysis_OverAChainWideEnoughForTheVectorPaths()
    {
        var (metrics, meta, idea, noIdea) = AnalysisPrimer.Run();

        var chain = AnalysisPrimer.Chain(DateTimeOffset.UtcNow);
        Assert.That(chain.Contracts.GroupBy(c => (c.Expiry, c.Right)).Min(g => g.Count()), Is.GreaterThanOrEqualTo(16),
            "each expiry and side longer than a 512-bit vector of doubles twice over, so the vectorised kernels (not only their tails) run");
        Assert.That(metrics.Contracts, Is.EqualTo(chain.Contracts.Count));
        Assert.That(metrics.Exposures.GexTotal, Is.Not.Zero, "exposures computed from the made-up open interest");
        Assert.That(metrics.KeyLevels.CallWall, Is.Not.Null, "the levels code ran");
        Assert.That(meta.Narrative, Is.Not.Empty);
        Assert.That(idea, Is.Not.Null, $"the idea code runs to an idea at no conviction floor (it said: {noIdea})");
    }
}
