using System.Text.Json;
using HuiHui.Modules.Experts.Backtest;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers.Files;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HuiHui.Tests.Experts;

/// <summary>The backtest: its figures by hand, no look-ahead between two histories, the simulated source, the verb.</summary>
public sealed class BacktestTests : DatabaseTest
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    private static BacktestIdea Idea(string strategy, string regime, double openedHours, double closedHours, double pnl, double? r, double entrySpot, double exitSpot, double atr) =>
        new("XYZ", T0.AddHours(openedHours), strategy, regime, 0.6, [], new IdeaEntry(entrySpot, entrySpot - 1, entrySpot + 1, 2, 2.1), null, null, null, [], 200, atr,
            T0.AddHours(closedHours), "target", exitSpot, pnl, pnl - 10, r);

    [Test]
    public void Figures_MatchTheHandComputedValues()
    {
        // Three trades closing at +100 (R 0.5), −50 (R −0.25), +20 (R 0.1); held 1 h, 2 h and 1 h of 8 h replayed.
        var ideas = new[]
        {
            Idea("long calls", "Sideways market", 0, 1, 100, 0.5, 100, 101, 2),
            Idea("long puts", "High volatility", 2, 4, -50, -0.25, 101, 100.5, 2),
            Idea("long calls", "High volatility", 5, 6, 20, 0.1, 100.5, 99.5, 2),
        };

        var summary = BacktestScore.Summarise(ideas, TimeSpan.FromHours(8));
        var equity = BacktestScore.Equity(ideas);
        var longs = BacktestScore.AlwaysLong(ideas);
        var random = BacktestScore.Random(ideas);

        Assert.That((summary.Trades, summary.HitRate, summary.MeanR, summary.Pnl, summary.PnlNatural), Is.EqualTo((3, 0.6667, 0.1167, 70.0, 40.0)));
        // R: mean 0.116667, deviations 0.383333, −0.366667, −0.016667; sample variance 0.281667 / 2 = 0.140833, sd 0.375278.
        Assert.That(summary.Sharpe, Is.EqualTo(0.3109).Within(1e-4));
        Assert.That(equity.Select(p => (p.Pnl, p.Drawdown)), Is.EqualTo(new[] { (100.0, 0.0), (50.0, 50.0), (70.0, 30.0) }));
        Assert.That(summary.MaxDrawdown, Is.EqualTo(50));
        Assert.That(summary.Exposure, Is.EqualTo(0.5), "4 h held of 8 h replayed");
        Assert.That(summary.ByStrategy.Select(g => (g.Group, g.Trades, g.Pnl)), Is.EqualTo(new[] { ("long calls", 2, 120.0), ("long puts", 1, -50.0) }));
        Assert.That(summary.ByRegime.Select(g => (g.Group, g.Trades, g.MeanR)), Is.EqualTo(new[] { ("High volatility", 2, (double?)-0.075), ("Sideways market", 1, (double?)0.5) }));
        // 100 shares long: +1.00 → +100, risk 1.5 × ATR 2 × 100 = 300 → R 0.3333; −0.50 → −50; −1.00 → −100.
        Assert.That(longs.Select(i => (i.Pnl, i.R)), Is.EqualTo(new[] { (100.0, (double?)0.3333), (-50.0, (double?)-0.1667), (-100.0, (double?)-0.3333) }));
        Assert.That(random.Select(i => Math.Abs(i.Pnl)), Is.EqualTo(new[] { 100.0, 50.0, 100.0 }), "the same moves, long or short");
        Assert.That(BacktestScore.Random(ideas).Select(i => i.Pnl), Is.EqualTo(random.Select(i => i.Pnl)), "the random side is reproducible");
        Assert.That(BacktestScore.Summarise([], TimeSpan.Zero) is { Trades: 0, MeanR: null, Sharpe: null, MaxDrawdown: 0, Exposure: 0 }, Is.True);
    }

    /// <summary>
    /// One session of the simulated SPY, a snapshot every 5 minutes, written as CSV chain files; from <paramref name="splitAfter"/>
    /// on the snapshots come from a market with another seed when <paramref name="diverge"/>.
    /// </summary>
    private static string History(int splitAfter, bool diverge)
    {
        static SimulatedMarket Market(long seed) => new(Options.Create(new SimulatorOptions { Seed = seed, StartDate = new DateOnly(2026, 11, 24), HistoryDays = 20 }), TimeProvider.System);
        var same = Market(42);
        var other = Market(7);
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        var first = 20L * TradingCalendar.MinutesPerDay;
        for (var i = 0; i < 78; i++)
        {
            var snapshot = (diverge && i >= splitAfter ? other : same).Snapshot("SPY", first + 5 * i);
            using var writer = File.CreateText(Path.Combine(folder, $"{i:D3}.csv"));
            CsvChainFormat.Write(writer, snapshot);
        }

        return folder;
    }

    [Test]
    public async Task NothingAtTimeT_SeesDataAfterIt_TwoHistoriesSharingTheirFirstHalf_OpenTheSameIdeasThere()
    {
        var shared = History(39, diverge: false);
        var diverged = History(39, diverge: true);
        var split = new DateTimeOffset(2026, 11, 24, 14, 30, 0, TimeSpan.Zero).AddMinutes(5 * 39);

        var a = await Testing.SendAsync(new RunBacktest(["SPY"], "file:" + shared));
        var b = await Testing.SendAsync(new RunBacktest(["SPY"], "file:" + diverged));

        static string Opening(BacktestIdea i) => JsonSerializer.Serialize(new { i.OpenedAt, i.Strategy, i.Regime, i.Conviction, i.Legs, i.Entry, i.StopBelow, i.StopAbove, i.Targets, i.MaxLoss, i.Atr });
        var firstHalfA = a.Ideas.Where(i => i.OpenedAt < split).Select(Opening).ToList();
        var firstHalfB = b.Ideas.Where(i => i.OpenedAt < split).Select(Opening).ToList();
        Assert.That((a.Snapshots, b.Snapshots), Is.EqualTo((78, 78)));
        Assert.That(firstHalfA, Is.Not.Empty, "the first half proposes ideas, or the test proves nothing");
        Assert.That(firstHalfB, Is.EqualTo(firstHalfA), "an idea opened before the histories part must not depend on what came after");
        Assert.That(b.Ideas.Where(i => i.OpenedAt >= split).Select(Opening), Is.Not.EqualTo(a.Ideas.Where(i => i.OpenedAt >= split).Select(Opening)),
            "after they part, the histories do give other ideas");
    }

    [Test]
    public async Task TheSimulatedMarket_ReplaysTheSameWayEveryTime_WithBaselinesOnTheSameHoldingTimes()
    {
        var start = Testing.Factory.Services.GetRequiredService<SimulatedMarket>().StartDate;
        var day = TradingCalendar.AddWeekdays(start, -1);
        var from = new DateTimeOffset(day.ToDateTime(new TimeOnly(14, 30)), TimeSpan.Zero);
        var query = new RunBacktest(["SPY", "QQQ"], ReplaySnapshots.Simulated, from, from.AddHours(3), TimeSpan.FromMinutes(5));

        var first = await Testing.SendAsync(query);
        var again = await Testing.SendAsync(query);

        Assert.That(first.Snapshots, Is.EqualTo(2 * 36), "14:30 to 17:29 every 5 minutes, two symbols");
        Assert.That((first.From, first.To), Is.EqualTo((from.AddSeconds(59), from.AddMinutes(175).AddSeconds(59))));
        Assert.That(first.Ideas, Is.Not.Empty);
        Assert.That(JsonSerializer.Serialize(again.Ideas), Is.EqualTo(JsonSerializer.Serialize(first.Ideas)));
        Assert.That(first.Ideas.Select(i => i.Symbol).Distinct().Order(), Is.EqualTo(new[] { "QQQ", "SPY" }));
        Assert.That(first.Ideas, Has.All.Matches<BacktestIdea>(i => i.ClosedAt >= i.OpenedAt && i.Legs.Count > 0 && i.Outcome is "stop" or "target" or "expiry" or "opposite" or "end"));
        Assert.That(first.Baselines.Keys, Is.EquivalentTo(new[] { "rulesOnly", "alwaysLong", "random" }));
        Assert.That(first.Baselines["alwaysLong"].Trades, Is.EqualTo(first.Summary.Trades), "one underlying trade per idea, over its holding time");
        Assert.That(first.Baselines["alwaysLong"].Exposure, Is.EqualTo(first.Summary.Exposure));
        Assert.That(first.Equity.Select(p => p.Pnl).Last(), Is.EqualTo(first.Summary.Pnl).Within(0.01 * first.Ideas.Count));
    }

    [Test]
    public async Task BadInput_IsRefusedByName_AndARangeWithoutData_SaysSo()
    {
        Assert.That(() => Testing.SendAsync(new RunBacktest(["SPY"], "tradier")), Throws.TypeOf<RequestValidationException>().With.Message.Contains("not a backtest source"));
        Assert.That(() => Testing.SendAsync(new RunBacktest([], ReplaySnapshots.Simulated)), Throws.TypeOf<RequestValidationException>().With.Message.Contains("at least one symbol"));
        Assert.That(() => Testing.SendAsync(new RunBacktest(["SPY"], ReplaySnapshots.Simulated, DateTimeOffset.UnixEpoch)),
            Throws.TypeOf<ReplayUnavailableException>().With.Message.Contains("--from is before it"));
        Assert.That(() => Testing.SendAsync(new RunBacktest(["SPY"], ReplaySnapshots.Archive, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2020, 1, 2, 0, 0, 0, TimeSpan.Zero))),
            Throws.TypeOf<ReplayUnavailableException>().With.Message.Contains("no snapshot of SPY in archive between"));
        Assert.That(() => Testing.SendAsync(new RunBacktest(["SPY"], "file:/nonexistent/huihui")), Throws.TypeOf<ReplayUnavailableException>().With.Message.Contains("does not exist"));
    }

    [Test]
    public async Task BacktestVerb_PrintsTheReportAsJson_WithTheIdeasFields_AndExitCodesForBadInput()
    {
        var folder = History(78, diverge: false);

        var json = await CliProcess.RunAsync(Testing.ConnectionString, "backtest", "SPY", "--source", "file:" + folder, "--json");
        var text = await CliProcess.RunAsync(Testing.ConnectionString, "backtest", "SPY", "--source", "file:" + folder);
        var badSource = await CliProcess.RunAsync(Testing.ConnectionString, "backtest", "SPY", "--source", "nowhere");
        var badTime = await CliProcess.RunAsync(Testing.ConnectionString, "backtest", "SPY", "--source", "simulated", "--to", "tomorrow");
        var missing = await CliProcess.RunAsync(Testing.ConnectionString, "backtest", "SPY", "--source", "file:/nonexistent/huihui");

        Assert.That(json.ExitCode, Is.Zero, json.StandardError);
        var root = JsonDocument.Parse(json.StandardOutput).RootElement;
        Assert.That(root.GetProperty("summary").GetProperty("trades").GetInt32(), Is.EqualTo(root.GetProperty("ideas").GetArrayLength()));
        Assert.That(root.GetProperty("baselines").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "rulesOnly", "alwaysLong", "random" }));
        var idea = root.GetProperty("ideas")[0];
        foreach (var field in new[] { "openedAt", "strategy", "legs", "entry", "stop", "targets", "closedAt", "outcome", "pnl", "r" })
        {
            Assert.That(idea.TryGetProperty(field, out _), Is.True, field);
        }

        Assert.That(idea.GetProperty("legs")[0].GetProperty("occSymbol").GetString(), Does.StartWith("SPY"));
        Assert.That(text.ExitCode, Is.Zero, text.StandardError);
        Assert.That(text.StandardOutput, Does.Contain("alwaysLong").And.Contain("by strategy").And.Contain("78 snapshots"));
        Assert.That(text.StandardError, Does.Contain("SPY: 78 snapshots").And.Contain("done"), "progress on stderr");
        Assert.That((badSource.ExitCode, badSource.StandardError.Contains("not a backtest source", StringComparison.Ordinal)), Is.EqualTo((2, true)), badSource.StandardError);
        Assert.That((badTime.ExitCode, badTime.StandardError.Contains("is not a time", StringComparison.Ordinal)), Is.EqualTo((2, true)), badTime.StandardError);
        Assert.That((missing.ExitCode, missing.StandardError.Contains("does not exist", StringComparison.Ordinal)), Is.EqualTo((1, true)), missing.StandardError);
    }

    [Test]
    public async Task FromTheHub_OneBacktestRunsAtATime_AsAJob_WhoseReportIsKept_AndAFailureSaysWhy()
    {
        var start = Testing.Factory.Services.GetRequiredService<SimulatedMarket>().StartDate;
        var from = new DateTimeOffset(TradingCalendar.AddWeekdays(start, -1).ToDateTime(new TimeOnly(14, 30)), TimeSpan.Zero);
        var request = new RunBacktest(["SPY"], ReplaySnapshots.Simulated, from, from.AddHours(2), TimeSpan.FromMinutes(5));
        var jobs = Testing.Factory.Services.GetRequiredService<BacktestJobs>();

        var queued = await Testing.SendAsync(new StartBacktest(request, "admin@huihui.local"));
        Assert.That(() => Testing.SendAsync(new StartBacktest(request with { Symbols = ["QQQ"] }, "other@huihui.local")),
            Throws.TypeOf<BacktestBusyException>().With.Message.Contains("already queued: SPY from simulated, started by admin@huihui.local"));
        await jobs.RunAsync(queued.Id, CancellationToken.None);
        var done = await Testing.SendAsync(new GetBacktest(queued.Id));

        Assert.That(queued.Status, Is.EqualTo("queued"));
        Assert.That((done!.Status, done.Snapshots, done.Error), Is.EqualTo(("done", 24, (string?)null)), "14:30 to 16:25 every 5 minutes");
        Assert.That(done.Report!.Snapshots, Is.EqualTo(24));
        Assert.That(done.Report.Ideas.Select(i => i.OpenedAt), Is.Ordered);
        Assert.That(done.StartedAt, Is.Not.Null.And.LessThanOrEqualTo(done.FinishedAt!.Value));
        var listed = await Testing.SendAsync(new GetBacktests());
        Assert.That((listed.Single().Id, listed.Single().Report), Is.EqualTo((queued.Id, (BacktestReport?)null)), "lists leave the report out");

        // Once done, another may start; one that cannot find its data fails with the reason, and is not retried.
        var missing = await Testing.SendAsync(new StartBacktest(request with { Source = "file:/nonexistent/huihui" }, "admin@huihui.local"));
        await jobs.RunAsync(missing.Id, CancellationToken.None);
        var failed = await Testing.SendAsync(new GetBacktest(missing.Id));
        Assert.That(failed!.Status, Is.EqualTo("failed"));
        Assert.That(failed.Error, Does.Contain("does not exist"));
        Assert.That(failed.Report, Is.Null);
        await jobs.RunAsync(missing.Id, CancellationToken.None); // delivered twice: the second does nothing
        Assert.That((await Testing.SendAsync(new GetBacktest(missing.Id)))!.FinishedAt, Is.EqualTo(failed.FinishedAt));
    }

    [Test]
    public async Task ABacktestWhoseProcessStopped_DoesNotBlockTheNextOne()
    {
        var request = new RunBacktest(["SPY"], ReplaySnapshots.Simulated);
        var stuck = await Testing.SendAsync(new StartBacktest(request, "admin@huihui.local"));
        await Sql.ExecuteAsync($"UPDATE moe_analysis.backtests SET status = 'running', updated_at = now() - interval '11 minutes' WHERE id = '{stuck.Id}'");

        var next = await Testing.SendAsync(new StartBacktest(request, "admin@huihui.local"));
        var old = await Testing.SendAsync(new GetBacktest(stuck.Id));

        Assert.That(next.Status, Is.EqualTo("queued"));
        Assert.That((old!.Status, old.Error), Is.EqualTo(("failed", (string?)"interrupted: no progress for ten minutes (the process running it stopped)")));
        Assert.That(() => Testing.SendAsync(new StartBacktest(request with { Source = "nowhere" }, "admin@huihui.local")),
            Throws.TypeOf<RequestValidationException>().With.Message.Contains("not a backtest source"));
    }
}
