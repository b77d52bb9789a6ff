using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Experts.Ideas;
using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HuiHui.Tests.Experts;

/// <summary>Learning from the ideas' outcomes: the floors by hand, the time-ordered validation, promotion, and the live meta obeying the gate.</summary>
public sealed class IdeaGateTests : DatabaseTest
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 15, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// <paramref name="count"/> long-call ideas in a sideways market, an hour apart: the even ones at 25 % conviction lose
    /// 1 R, the odd ones at 55 % make 0.5 R.
    /// </summary>
    private static List<IdeaOutcome> Alternating(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new IdeaOutcome("XYZ", T0.AddHours(i), "long calls", "Sideways market", i % 2 == 0 ? 0.25 : 0.55, i % 2 == 0 ? -1 : 0.5))];

    [Test]
    public void Floors_KeepWhatPaid_AndValidationJudgesOnTheNewerIdeas()
    {
        var steady = Enumerable.Range(0, 10).Select(i => new IdeaOutcome("XYZ", T0.AddHours(i), "long puts", "High volatility", 0.3, 0.2));
        var few = Enumerable.Range(0, 9).Select(i => new IdeaOutcome("XYZ", T0.AddHours(i), "call debit spread", "Sideways market", 0.25, -1));

        var gate = IdeaGates.Learn([.. Alternating(10), .. steady, .. few]);
        var report = IdeaGates.Validate(Alternating(70), T0);
        var short_ = IdeaGates.Validate(Alternating(40), T0);

        // Long calls: all 10 make 5 × −1 + 5 × 0.5 = −2.5 R; from 30 % up only the five at 55 %: +2.5 R (higher floors
        // keep the same five, no better; from 60 % none). Long puts make +2 R whatever the floor: no floor. Nine ideas: too few.
        Assert.That(gate.Floors, Is.EqualTo(new[] { new IdeaFloor("long calls", "Sideways market", 0.3, 10, -0.25, 0.5) }));
        Assert.That(gate.Refusing("long calls", "Sideways market", 0.29), Is.Not.Null);
        Assert.That(gate.Refusing("long calls", "Sideways market", 0.3), Is.Null);
        Assert.That(gate.Refusing("long calls", "High volatility", 0.1), Is.Null, "another regime has its own record");
        // 70 ideas: learned on the first 49 (25 losers, 24 winners: −25 + 12 = −13 R, −0.2653 a trade), judged on the last
        // 21 (10 losers, 11 winners): all of them −10 + 5.5 = −4.5 R, through the gate +5.5 R: promoted.
        Assert.That((report.TrainTrades, report.HeldOutTrades, report.HeldOutR, report.HeldOutGatedR, report.HeldOutTaken, report.Promoted),
            Is.EqualTo((49, 21, -4.5, 5.5, 11, true)));
        Assert.That(report.Gate.Floors.Single().MeanRAll, Is.EqualTo(-0.2653));
        Assert.That(report.Reason, Is.EqualTo("on the 21 newer ideas it keeps 11 for +5.50 R against -4.50 R for all"));
        Assert.That((short_.HeldOutTrades, short_.Promoted, short_.Reason), Is.EqualTo((12, false, "12 newer ideas to judge it on; 20 needed")));
        Assert.That(IdeaGates.Validate([.. steady, .. steady, .. steady], T0).Reason, Does.StartWith("no strategy and regime"));
    }

    [Test]
    public async Task TheNightlyTraining_PromotesAGateOnlyWhenBetter_AndTheLiveMetaThenTurnsDownWhatTheRecordSaysNoTo()
    {
        // The live record: 70 closed ideas as above.
        await Testing.InsertAsync<ExpertsDbContext>([.. Alternating(70).Select(o => (object)new TradeIdeaRecord
        {
            Id = Guid.CreateVersion7(), Symbol = o.Symbol, OpenedAt = o.OpenedAt, Strategy = o.Strategy, Conviction = o.Conviction, Regime = o.Regime,
            Idea = "{}", ClosedAt = o.OpenedAt.AddMinutes(30), Outcome = "target", R = o.R, Pnl = o.R * 100,
        })]);

        var first = await Testing.SendAsync(new TrainIdeaGate());
        var second = await Testing.SendAsync(new TrainIdeaGate());
        var gates = await Testing.SendAsync(new GetIdeaGates());

        Assert.That((first.Promoted, second.Promoted), Is.EqualTo((true, true)));
        Assert.That(gates.Select(g => (g.Id, g.Status)), Is.EqualTo(new[] { (second.Id, "active"), (first.Id, "retired") }));

        // The live analysis of a simulated snapshot proposes an idea; a gate that says "never" to that strategy in that
        // regime turns it down, and says why.
        var services = Testing.Factory.Services;
        var runner = services.GetRequiredService<AnalysisRunner>();
        var host = services.GetRequiredService<IdeaGateHost>();
        await using var scope = services.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var market = new SimulatedMarket(Options.Create(new SimulatorOptions { HistoryDays = 20 }), TimeProvider.System);
        Analysis? proposed = null;
        HuiHui.Modules.Ingestion.Contracts.ChainSnapshot? snapshot = null;
        for (var minute = 20L * TradingCalendar.MinutesPerDay + 60; proposed?.Meta.Idea is null; minute += 15)
        {
            snapshot = market.Snapshot("SPY", minute);
            proposed = await runner.RunAsync(snapshot, mediator, 0, CancellationToken.None, AnalysisMode.Benchmark);
        }

        var idea = proposed!.Meta.Idea!;
        var regime = AnalysisRunner.RegimeName(proposed.Regime) ?? "unknown";
        await Sql.ExecuteAsync("UPDATE moe_analysis.idea_gates SET status = 'retired'");
        await Testing.InsertAsync<ExpertsDbContext>(new IdeaGateRecord
        {
            Id = Guid.CreateVersion7(), TrainedAt = T0.AddDays(30), Status = "active",
            Report = System.Text.Json.JsonSerializer.Serialize(second with { Gate = new IdeaGate([new IdeaFloor(idea.Strategy, regime, 1.01, 12, -0.4, null)]) }, ExpertsJson.Default.IdeaGateReport),
        });
        host.Forget();
        var refused = await runner.RunAsync(snapshot!, mediator, 0, CancellationToken.None, AnalysisMode.Benchmark);
        var replayed = await runner.RunAsync(snapshot!, mediator, 0, CancellationToken.None, AnalysisMode.Replay);

        Assert.That(refused.Meta.Idea, Is.Null);
        Assert.That(refused.Meta.NoIdea, Does.StartWith($"the record says no: {idea.Strategy} in '{regime}' has paid only at no conviction (12 closed, -0.40 R a trade)"));
        Assert.That(replayed.Meta.Idea?.Strategy, Is.EqualTo(idea.Strategy), "a replay is not judged by a gate learned later");

        var cli = await CliProcess.RunAsync(Testing.ConnectionString, "train", "ideas");
        Assert.That(cli.ExitCode, Is.Zero, cli.StandardError);
        Assert.That(cli.StandardOutput, Does.Contain("promoted (on the 21 newer ideas it keeps 11").And.Contain("long calls in 'Sideways market': only from 30 %"));
    }
}
