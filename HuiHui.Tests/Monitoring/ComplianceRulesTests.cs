using HuiHui.Modules.Monitoring.Compliance;

namespace HuiHui.Tests.Monitoring;

/// <summary>Each compliance rule fires on crafted measurements and clears when they are healthy again.</summary>
public sealed class ComplianceRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);
    private static readonly ComplianceOptions Options = new();

    private static ComplianceInputs Healthy() => new(
        Now, Now.AddHours(-1), Produced: 1000, Persisted: 1000, SpoolBytes: 0, SpoolBytesBefore: 0,
        StageP99Ms: new Dictionary<string, double> { ["total"] = 5, ["metrics"] = 2 },
        LastFetched: new Dictionary<string, DateTimeOffset?> { ["SPY"] = Now.AddSeconds(-10) },
        IngestionInterval: TimeSpan.FromSeconds(15), IngestionRunning: true, CacheHits: 900, CacheLookups: 1000,
        Heartbeats: new Dictionary<string, DateTimeOffset> { ["ingestion-loop"] = Now.AddSeconds(-5), ["orchestrator"] = Now.AddSeconds(-5), ["response-writer"] = Now.AddSeconds(-20) });

    private static IEnumerable<string> Firing(ComplianceInputs inputs) => ComplianceRules.Evaluate(inputs, Options).Where(r => r.Firing).Select(r => r.Code);

    [Test]
    public void Healthy_FiresNothing() => Assert.That(Firing(Healthy()), Is.Empty);

    [Test]
    public void PersistenceRate_FiresBelow999PerMille()
    {
        Assert.That(Firing(Healthy() with { Produced = 1000, Persisted = 998 }), Is.EqualTo(new[] { "persistence-rate" }));
        Assert.That(Firing(Healthy() with { Produced = 10_000, Persisted = 9_991 }), Is.Empty, "99.91 % is fine");
        Assert.That(Firing(Healthy() with { Produced = 0, Persisted = 0 }), Is.Empty, "nothing produced is not a failure");
    }

    [Test]
    public void SpoolGrowing_FiresWhileItGrows_AndClearsWhenItStops()
    {
        Assert.That(Firing(Healthy() with { SpoolBytes = 5000, SpoolBytesBefore = 1000 }), Is.EqualTo(new[] { "spool-growing" }));
        Assert.That(Firing(Healthy() with { SpoolBytes = 1000, SpoolBytesBefore = 5000 }), Is.Empty, "shrinking: being replayed");
    }

    [Test]
    public void StageLatency_FiresAboveItsBudget()
    {
        var slow = Healthy() with { StageP99Ms = new Dictionary<string, double> { ["total"] = 900, ["metrics"] = 150 } };

        Assert.That(Firing(slow), Is.EquivalentTo(new[] { "latency-budget:total", "latency-budget:metrics" }));
        Assert.That(ComplianceRules.Evaluate(slow, Options).Single(r => r.Code == "latency-budget:total").Message, Does.Contain("900").And.Contain("750"));
    }

    [Test]
    public void ProviderGap_FiresWhenASymbolIsNotFetchedForThreeIntervals_AfterTheStartGrace()
    {
        var stale = Healthy() with { LastFetched = new Dictionary<string, DateTimeOffset?> { ["SPY"] = Now.AddSeconds(-50), ["QQQ"] = null } };

        Assert.That(Firing(stale), Is.EquivalentTo(new[] { "provider-gap:SPY", "provider-gap:QQQ" }));
        Assert.That(Firing(stale with { Since = Now.AddSeconds(-30) }), Is.Empty, "just started");
        Assert.That(Firing(stale with { IngestionRunning = false }), Is.Empty, "no loop in this process");
    }

    [Test]
    public void CacheThrash_FiresWhenTheHitRatioCollapses_WithEnoughLookups()
    {
        Assert.That(Firing(Healthy() with { CacheHits = 200, CacheLookups = 1000 }), Is.EqualTo(new[] { "cache-thrash" }));
        Assert.That(Firing(Healthy() with { CacheHits = 2, CacheLookups = 10 }), Is.Empty, "too few lookups to judge");
    }

    [Test]
    public void MissingHeartbeat_FiresForASilentOrNeverSeenComponent()
    {
        var silent = Healthy() with { Heartbeats = new Dictionary<string, DateTimeOffset> { ["ingestion-loop"] = Now.AddMinutes(-4), ["orchestrator"] = Now.AddSeconds(-5) } };

        Assert.That(Firing(silent), Is.EquivalentTo(new[] { "heartbeat-missing:ingestion-loop", "heartbeat-missing:response-writer" }));
        Assert.That(Firing(silent with { Since = Now.AddMinutes(-1) }), Is.Empty, "within the start grace");
    }
}
