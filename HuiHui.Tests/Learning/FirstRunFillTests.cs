using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Learning;

/// <summary>An empty store fills itself from the simulated market: vectors, labels, scorecards, a first checkpoint — and only an empty one.</summary>
public sealed class FirstRunFillTests : DatabaseTest
{
    private static readonly TimeSpan Horizon = TimeSpan.FromMinutes(15);

    [Test]
    public async Task AnEmptyStore_FillsWithReplayedAnalyses_Labels_Scorecards_AndAFirstModel_ThenRefusesASecondFill()
    {
        var status = await Testing.SendAsync(new FillFirstRun(["FILL"], TimeSpan.FromMinutes(5), Horizon));

        // Five trading days of 390 minutes, one analysis every 5 minutes.
        Assert.That((status.State, status.Done, status.Total), Is.EqualTo(("done", 390, 390)), status.Message);
        var vectors = await Sql.ScalarAsync<long>("SELECT count(*) FROM training.feature_vectors WHERE symbol = 'FILL'");
        Assert.That(vectors, Is.EqualTo(390));
        var labelled = await Sql.ScalarAsync<long>("SELECT count(*) FROM training.labeled_examples WHERE symbol = 'FILL' AND horizon_seconds = 900");
        Assert.That(labelled, Is.GreaterThan(300).And.LessThan(390), "all but each session's last quarter hour, whose outcome falls after the close");
        var minutes = await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.underlying_ohlc WHERE symbol = 'FILL' AND interval = '1m' AND source = 'simulated'");
        Assert.That(minutes, Is.GreaterThanOrEqualTo(5 * 390 - 5), "the replayed days' minutes, to label against");

        var cards = await Testing.SendAsync(new GetExpertScorecards(Horizon));
        Assert.That(cards.Where(c => c.Regime is null).Select(c => c.Expert), Does.Contain("meta"));
        Assert.That(cards.Where(c => c.Regime is null), Has.All.Matches<ExpertScorecard>(c => c.Examples > 0 && c.HitRate is >= 0 and <= 1));
        var checkpoints = await Testing.SendAsync(new GetCheckpoints(ModelKinds.MetaGating));
        Assert.That(checkpoints, Has.Count.EqualTo(1));
        Assert.That(checkpoints[0].Metrics!.Examples, Is.GreaterThanOrEqualTo(50));
        Assert.That(status.Message, Does.Contain("meta model"));

        var again = Assert.CatchAsync<RefusedRequestException>(() => Testing.SendAsync(new FillFirstRun(["FILL"], TimeSpan.FromMinutes(5), Horizon)))!;
        Assert.That(again.Message, Does.Contain("already holds"));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM training.feature_vectors"), Is.EqualTo(390), "nothing added");
    }
}
