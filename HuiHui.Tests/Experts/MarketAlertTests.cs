using HuiHui.Modules.Experts.Alerts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Experts;

/// <summary>Market alerts: the crossing rules on two readings, raised once per snapshot, and per-user subscriptions.</summary>
public sealed class MarketAlertTests : DatabaseTest
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);

    private static AlertReading Reading(double spot, double? callWall = 400, double? putWall = 380, double? zeroGamma = 390, string? regime = "range", int minute = 0) =>
        new("SPY", T0.AddMinutes(minute), spot, callWall, putWall, zeroGamma, regime);

    [Test]
    public void Crossings_AreJudgedAgainstTheLevelsAsTheEarlierAnalysisNamedThem()
    {
        var up = MarketAlertRules.Detect(Reading(399.5), Reading(400.2, callWall: 405, minute: 1), []);
        var down = MarketAlertRules.Detect(Reading(380.4, zeroGamma: 370), Reading(379.9, zeroGamma: 370, minute: 1), []);
        var zero = MarketAlertRules.Detect(Reading(391), Reading(389.5, zeroGamma: 390.5, minute: 1), []);
        var wallMovedWithPrice = MarketAlertRules.Detect(Reading(399.5, callWall: 400), Reading(400.5, callWall: 401, minute: 1) with { CallWall = 401 }, []);

        Assert.That(up.Select(a => (a.Kind, a.Level)), Is.EqualTo(new[] { (MarketAlertKinds.CallWall, (double?)400) }), "the wall as it stood before the move");
        Assert.That(up[0].Message, Is.EqualTo("SPY broke above the call wall 400.00 (spot 400.20)"));
        Assert.That(down.Select(a => a.Kind), Is.EqualTo(new[] { MarketAlertKinds.PutWall }));
        Assert.That(zero.Select(a => (a.Kind, a.Level)), Is.EqualTo(new[] { (MarketAlertKinds.ZeroGamma, (double?)390.5) }));
        Assert.That(zero[0].Message, Does.Contain("below it: dealers short gamma"));
        Assert.That(MarketAlertRules.Detect(Reading(395), Reading(395.1, regime: "trend up", minute: 1), []), Is.Empty, "a regime change is judged over several analyses");
        Assert.That(MarketAlertRules.Detect(Reading(399.5), Reading(400.5, minute: 1), []).Count(a => a.Kind == MarketAlertKinds.CallWall), Is.EqualTo(1));
        Assert.That(MarketAlertRules.Detect(Reading(400.5), Reading(401, minute: 1), []), Is.Empty, "already above: no new breach");
        Assert.That(wallMovedWithPrice.Select(a => a.Kind), Does.Contain(MarketAlertKinds.CallWall), "judged against the previous wall, 400");
        Assert.That(MarketAlertRules.Detect(null, Reading(400.5), []), Is.Empty, "the first analysis after a start has nothing to cross from");
    }

    [Test]
    public void ARegimeChange_MustHoldForThreeAnalyses_SoAFlickerRaisesNothing()
    {
        var state = new RegimeState();
        string?[] readings = ["range", "trend up", "range", "trend up", "trend up", null, "trend up", "trend up", "range"];

        var raised = readings.Select(r => MarketAlertRules.RegimeChange(state, "SPY", r, confirm: 3)?.Message).ToList();

        // The first name is confirmed silently; "trend up" flickers once, then holds three times (a missing regime neither
        // counts nor breaks the run); "range" once afterwards is pending only.
        Assert.That(raised.Where(m => m is not null), Is.EqualTo(new[] { "SPY regime changed from range to trend up (held for 3 analyses)" }));
        Assert.That(raised.IndexOf(raised.First(m => m is not null)), Is.EqualTo(6));
        Assert.That((state.Confirmed, state.Pending, state.Count), Is.EqualTo(("trend up", "range", 1)));
    }

    [Test]
    public void IdeasClosedAtTheirStopOrTarget_AreAlerts_OtherClosesAreNot()
    {
        var found = MarketAlertRules.Detect(null, Reading(395), [new ClosedIdea("bull call spread", "stop", 393.25), new ClosedIdea("iron condor", "target", 395), new ClosedIdea("put", "expiry", 395)]);

        Assert.That(found.Select(a => (a.Kind, a.Level)), Is.EqualTo(new[] { (MarketAlertKinds.IdeaStop, (double?)393.25), (MarketAlertKinds.IdeaTarget, (double?)395) }));
        Assert.That(found[0].Message, Is.EqualTo("SPY bull call spread idea hit its stop (spot 393.25)"));
    }

    [Test]
    public async Task AnAlert_IsStoredOncePerSymbolKindAndSnapshot_AndListedNewestFirst()
    {
        await using var services = ModuleServices.Build(new Dictionary<string, string?>());
        var watcher = services.Provider.GetRequiredService<MarketAlertWatcher>();
        var breach = new AlertCandidate(MarketAlertKinds.CallWall, "SPY broke above the call wall 400.00 (spot 400.20)", 400);

        var first = await watcher.StoreAsync(Reading(400.2), breach, CancellationToken.None);
        var again = await watcher.StoreAsync(Reading(400.2), breach, CancellationToken.None);
        var later = await watcher.StoreAsync(Reading(400.9, minute: 5), breach, CancellationToken.None);
        await using var scope = services.Provider.CreateAsyncScope();
        var listed = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetMarketAlerts("spy"));

        Assert.That(first, Is.Not.Null);
        Assert.That(again, Is.Null, "the same snapshot raises it once");
        Assert.That(later!.Id, Is.GreaterThan(first!.Id));
        Assert.That(listed.Select(a => a.Id), Is.EqualTo(new[] { later.Id, first.Id }));
        Assert.That(listed[1], Is.EqualTo(first with { RaisedAt = listed[1].RaisedAt }));
    }

    [Test]
    public async Task Subscriptions_ArePerUserAndSymbol_StarMeansEverySymbol_AndUnknownKindsAreRefusedByName()
    {
        await Testing.SendAsync(new SetAlertSubscriptions("u1", "spy", [MarketAlertKinds.CallWall, MarketAlertKinds.Regime]));
        await Testing.SendAsync(new SetAlertSubscriptions("u2", "*", [MarketAlertKinds.CallWall]));
        await Testing.SendAsync(new SetAlertSubscriptions("u3", "QQQ", [MarketAlertKinds.CallWall]));
        await Testing.SendAsync(new SetAlertSubscriptions("u1", "SPY", [MarketAlertKinds.Regime])); // replaces u1's SPY kinds

        var callWall = await Testing.SendAsync(new GetAlertSubscribers("SPY", MarketAlertKinds.CallWall));
        var regime = await Testing.SendAsync(new GetAlertSubscribers("SPY", MarketAlertKinds.Regime));
        var mine = await Testing.SendAsync(new GetAlertSubscriptions("u1"));

        Assert.That(callWall, Is.EquivalentTo(new[] { "u2" }));
        Assert.That(regime, Is.EquivalentTo(new[] { "u1" }));
        Assert.That(mine, Is.EqualTo(new[] { new AlertSubscription("SPY", MarketAlertKinds.Regime) }));
        Assert.That(() => Testing.SendAsync(new SetAlertSubscriptions("u1", "SPY", ["moon"])),
            Throws.TypeOf<RequestValidationException>().With.Message.Contains("'moon' is not an alert kind"));
    }
}
