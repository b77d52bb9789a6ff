using System.Net;
using System.Text;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Hub;

/// <summary>The hub's Learning page: checkpoints and metrics, scorecards and their chart data, admin activation and roll-back.</summary>
public sealed class LearningPageTests : DatabaseTest
{
    [SetUp]
    public Task CreateUsers() => HubAccounts.EnsureUsersAsync(Testing.Factory.Services);

    [Test]
    public async Task Learning_WithNothingTrained_SaysHowToTrain()
    {
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        var page = await client.GetStringAsync("/Learning");

        Assert.That(page, Does.Contain("data-testid=\"checkpoints-empty\"").And.Contain("train sentiment"));
        Assert.That(page, Does.Contain("data-testid=\"scorecards-empty\""));
    }

    [Test]
    public async Task Admin_RollsBackToAnOlderCheckpoint_AnalystsCannot_AndACorruptOneIsRefusedOnThePage()
    {
        var folder = Cache.CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        var first = await Testing.SendAsync(new TrainSentimentModel(Labels(folder, "a.csv", 0)));
        var second = await Testing.SendAsync(new TrainSentimentModel(Labels(folder, "b.csv", 0.4)));
        var corrupt = Guid.CreateVersion7();
        await Sql.ExecuteAsync($"INSERT INTO training.model_checkpoints (id, kind, status, model, metrics, feature_schema_version, created_at) VALUES ('{corrupt}', 'sentiment', 'Candidate', '\\x0102'::bytea, '{{}}', 0, now())");
        using var admin = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AdminEmail);
        using var analyst = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        using var forbidden = await PostAsync(analyst, $"/Learning?handler=Activate&id={second.CheckpointId}");
        using var activated = await PostAsync(admin, $"/Learning?handler=Activate&id={second.CheckpointId}");
        var afterActivate = await admin.GetStringAsync("/Learning");
        using var refused = await PostAsync(admin, $"/Learning?handler=Activate&id={corrupt}");
        var afterRefused = await admin.GetStringAsync("/Learning");
        var checkpoints = await Testing.SendAsync(new GetCheckpoints(ModelKinds.Sentiment));

        Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(activated.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(afterActivate, Does.Contain("is now active").And.Contain($"data-testid=\"activate-{first.CheckpointId}\"").And.Contain("Roll back to this"));
        Assert.That(afterRefused, Does.Contain("Not activated:").And.Contain("cannot be loaded"));
        Assert.That(checkpoints.Single(c => c.Id == second.CheckpointId).Status, Is.EqualTo(CheckpointStatus.Active));
        Assert.That(checkpoints.Single(c => c.Id == first.CheckpointId).Status, Is.EqualTo(CheckpointStatus.Retired));
        Assert.That(checkpoints.Single(c => c.Id == corrupt).Status, Is.EqualTo(CheckpointStatus.Rejected));
    }

    [Test]
    public async Task Learning_WithLabelledOutcomes_ShowsScorecardsAndTheirDailyHistory()
    {
        var now = DateTimeOffset.UtcNow;
        var vectors = Enumerable.Range(0, 40).Select(i => new FeatureVectorRecord { Symbol = "SPY", AsOf = now.AddHours(-i), SchemaVersion = 1, Values = Signals(i), CreatedAt = now }).ToArray();
        await Testing.InsertAsync<LearningDbContext>(vectors);
        await Testing.InsertAsync<LearningDbContext>(vectors.Select((v, i) => new LabeledExampleRecord
        {
            FeatureVectorId = v.Id, Symbol = "SPY", AsOf = v.AsOf, HorizonSeconds = 900, ForwardReturn = 0.001, Direction = 1,
            ExpertOutcomes = $"{{\"flow\": {(i % 4 != 0 ? "true" : "false")}, \"sentiment\": {(i % 2 == 0 ? "true" : "false")}, \"meta\": null}}", LabeledAt = now,
        }).ToArray());
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        var page = await client.GetStringAsync("/Learning");
        var history = await Testing.SendAsync(new GetScorecardHistory(TimeSpan.FromMinutes(15), 30));

        Assert.That(page, Does.Contain("data-testid=\"scorecard-chart\"").And.Contain("\"expert\":\"flow\""));
        Assert.That(history.Where(d => d.Expert == "flow").Sum(d => d.Examples), Is.EqualTo(40));
        Assert.That(history.Where(d => d.Expert == "flow").Sum(d => d.HitRate * d.Examples), Is.EqualTo(30).Within(1e-9));
        Assert.That(history.Any(d => d.Expert == "meta"), Is.False, "undecided outcomes are left out");
    }

    /// <summary>A feature vector whose flow and sentiment have a direction (the scorecards read them), everything else zero.</summary>
    private static float[] Signals(int i)
    {
        var values = new float[26];
        (values[0], values[1], values[2], values[3]) = (i % 4 != 0 ? 1f : -1f, 0.6f, i % 2 == 0 ? 1f : -1f, 0.5f);
        return values;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url)
    {
        var token = await HubAccounts.AntiforgeryTokenAsync(client, "/Learning");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        return await client.PostAsync(url, form);
    }

    private static string Labels(string folder, string name, double noise)
    {
        var random = new Random(11);
        var text = new StringBuilder("label,text\n");
        string[] labels = ["positive", "negative", "neutral"];
        for (var i = 0; i < 40; i++)
        {
            foreach (var (label, phrase) in new[] { ("positive", "Profit rose strongly"), ("negative", "Losses widened sharply"), ("neutral", "The office is located downtown") })
            {
                text.Append(random.NextDouble() < noise ? labels[random.Next(3)] : label).Append(",\"").Append(phrase).Append(" in period ").Append(i).Append(".\"\n");
            }
        }

        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
