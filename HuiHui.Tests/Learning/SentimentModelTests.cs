using System.Text;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Models;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Learning;

/// <summary>The trained sentiment classifier: real data, promotion, checkpoints, hot reload, refusal of bad input.</summary>
public sealed class SentimentModelTests : DatabaseTest
{
    private string folder = "";

    [SetUp]
    public void CreateFolder()
    {
        folder = Cache.CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
    }

    /// <summary>
    /// Financial PhraseBank (../shared/data/fpb/train.csv, human-labelled; not copied into the repository): stratified
    /// 5-fold cross-validation of the classifier against the lexicon scorer on the same sentences.
    /// </summary>
    [Test]
    public async Task Train_OnFinancialPhraseBank_CrossValidatesWellAboveTheLexicon_AndBecomesTheExpertsScorer()
    {
        var path = FinancialPhraseBank();

        var report = await Testing.SendAsync(new TrainSentimentModel(path));
        var scored = await Testing.SendAsync(new ScoreText(["Operating profit rose to EUR 13.1 mn from EUR 8.7 mn a year earlier.", "The company swung to a net loss and cut its outlook."]));

        var lexicon = report.Baselines["lexicon"];
        TestContext.Progress.WriteLine($"FPB 5-fold: accuracy {report.Metrics.Accuracy:F3}, macro-F1 {report.Metrics.MacroF1:F3}, log-loss {report.Metrics.LogLoss:F3}, Brier {report.Metrics.Brier:F3}; lexicon accuracy {lexicon.Accuracy:F3}, macro-F1 {lexicon.MacroF1:F3}");
        Assert.That(report.Metrics.Examples, Is.EqualTo(2887));
        Assert.That(report.Metrics.Validation, Is.EqualTo("stratified 5-fold cross-validation"));
        Assert.That(report.Metrics.Accuracy, Is.GreaterThan(lexicon.Accuracy + 0.1), "well above the lexicon");
        Assert.That(report.Metrics.MacroF1, Is.GreaterThan(lexicon.MacroF1 + 0.1));
        Assert.That(report.Metrics.Accuracy, Is.GreaterThan(0.7));
        Assert.That(report.Promoted, Is.True, report.Reason);
        Assert.That(scored.Scorer, Does.StartWith("model:"));
        Assert.That(scored.Scores.Select(s => s.Label), Is.EqualTo(new[] { "positive", "negative" }));
    }

    [Test]
    public async Task Train_SecondModelNoBetter_IsKeptAsRejectedWithTheReason_AndTheFirstStaysActive()
    {
        var first = await Testing.SendAsync(new TrainSentimentModel(WriteLabels("clear.csv", noise: 0)));
        var second = await Testing.SendAsync(new TrainSentimentModel(WriteLabels("noisy.csv", noise: 0.4)));
        var checkpoints = await Testing.SendAsync(new GetCheckpoints(ModelKinds.Sentiment));

        Assert.That(first.Promoted, Is.True);
        Assert.That(second.Promoted, Is.False);
        Assert.That(second.Reason, Does.Contain("does not beat the active"));
        Assert.That(checkpoints.Single(c => c.Id == second.CheckpointId).Status, Is.EqualTo(CheckpointStatus.Rejected));
        Assert.That(checkpoints.Single(c => c.Id == first.CheckpointId).Status, Is.EqualTo(CheckpointStatus.Active));
        Assert.That(checkpoints.Single(c => c.Id == second.CheckpointId).Metrics!.MacroF1, Is.LessThan(first.Metrics.MacroF1));
    }

    [Test]
    public void Decide_PromotesOnlyWhatBeatsTheActiveModel()
    {
        var good = new ModelMetrics(0.8, 0.7, 0.5, 0.3, 100, "cv");
        var better = good with { MacroF1 = 0.75, LogLoss = 0.45 };

        Assert.That(Checkpoints.Decide(ModelKinds.Sentiment, good, null).Promote, Is.True);
        Assert.That(Checkpoints.Decide(ModelKinds.Sentiment, better, good).Promote, Is.True);
        Assert.That(Checkpoints.Decide(ModelKinds.Sentiment, good, good).Promote, Is.False, "a tie keeps the active model");
        Assert.That(Checkpoints.Decide(ModelKinds.MetaGating, better, good).Promote, Is.True, "meta: lower log-loss");
        Assert.That(Checkpoints.Decide(ModelKinds.MetaGating, good, better).Promote, Is.False);
    }

    [Test]
    public async Task Activate_CorruptCheckpoint_IsRefusedWithTheReason_AndThePreviousModelKeepsScoring()
    {
        var good = await Testing.SendAsync(new TrainSentimentModel(WriteLabels("clear.csv", noise: 0)));
        var corrupt = Guid.CreateVersion7();
        await Sql.ExecuteAsync($"INSERT INTO training.model_checkpoints (id, kind, status, model, metrics, feature_schema_version, created_at) VALUES ('{corrupt}', 'sentiment', 'Candidate', '\\x504b0304deadbeef'::bytea, '{{}}', 0, now())");

        var refused = Assert.ThrowsAsync<ModelRefusedException>(async () => await Testing.SendAsync(new ActivateCheckpoint(corrupt)));
        var checkpoints = await Testing.SendAsync(new GetCheckpoints(ModelKinds.Sentiment));
        var scored = await Testing.SendAsync(new ScoreText(["Profit rose sharply."]));

        Assert.That(refused!.Message, Does.Contain(corrupt.ToString()).And.Contain("cannot be loaded"));
        Assert.That(checkpoints.Single(c => c.Id == corrupt).Status, Is.EqualTo(CheckpointStatus.Rejected));
        Assert.That(checkpoints.Single(c => c.Id == good.CheckpointId).Status, Is.EqualTo(CheckpointStatus.Active));
        Assert.That(scored.Scorer, Is.EqualTo($"model:{good.CheckpointId.ToString("N")[..8]}"));
    }

    [Test]
    public async Task ActiveCheckpointChangedByAnotherProcess_IsHotReloaded_AndACorruptOneIsRefusedWithAnAlert()
    {
        var first = await Testing.SendAsync(new TrainSentimentModel(WriteLabels("clear.csv", noise: 0)));
        await using var services = ModuleServices.Build(new Dictionary<string, string?>());
        await using var scope = services.Provider.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var before = await mediator.Send(new ScoreSentences(["Profit rose."]));

        // Another process activates a copy of the model under a new id: this one notices after its check interval.
        var copy = Guid.CreateVersion7();
        await Sql.ExecuteAsync($"UPDATE training.model_checkpoints SET status = 'Retired' WHERE id = '{first.CheckpointId}'; INSERT INTO training.model_checkpoints (id, kind, status, model, metrics, feature_schema_version, created_at) SELECT '{copy}', kind, 'Active', model, metrics, 0, now() FROM training.model_checkpoints WHERE id = '{first.CheckpointId}'");
        var stillFirst = await mediator.Send(new ScoreSentences(["Profit rose."]));
        services.Time.Advance(SentimentModelHost.DefaultCheckEvery + TimeSpan.FromSeconds(1));
        var reloaded = await mediator.Send(new ScoreSentences(["Profit rose."]));

        // Then a corrupt checkpoint is made active behind its back: refused, alert raised, the loaded model stays.
        var corrupt = Guid.CreateVersion7();
        await Sql.ExecuteAsync($"UPDATE training.model_checkpoints SET status = 'Retired' WHERE id = '{copy}'; INSERT INTO training.model_checkpoints (id, kind, status, model, metrics, feature_schema_version, created_at) VALUES ('{corrupt}', 'sentiment', 'Active', '\\x00010203'::bytea, '{{}}', 0, now())");
        services.Time.Advance(SentimentModelHost.DefaultCheckEvery + TimeSpan.FromSeconds(1));
        var afterCorrupt = await mediator.Send(new ScoreSentences(["Profit rose."]));

        Assert.That(before!.Model, Is.EqualTo($"model:{first.CheckpointId.ToString("N")[..8]}"));
        Assert.That(stillFirst!.Model, Is.EqualTo(before.Model));
        Assert.That(reloaded!.Model, Is.EqualTo($"model:{copy.ToString("N")[..8]}"));
        Assert.That(afterCorrupt!.Model, Is.EqualTo(reloaded.Model));
        Assert.That(await Sql.ScalarAsync<string>($"SELECT status FROM training.model_checkpoints WHERE id = '{corrupt}'"), Is.EqualTo("Rejected"));
        Assert.That(await Sql.ScalarAsync<string>($"SELECT status FROM training.model_checkpoints WHERE id = '{copy}'"), Is.EqualTo("Active"));
        Assert.That(await Sql.OpenAlertsAsync("learning", "checkpoint-refused:sentiment"), Is.EqualTo(1));
    }

    [Test]
    public async Task CallersDuringAFreshProcesssFirstRead_WaitForIt_AndAllScoreWithTheModel()
    {
        var trained = await Testing.SendAsync(new TrainSentimentModel(WriteLabels("clear.csv", noise: 0)));
        await using var services = ModuleServices.Build(new Dictionary<string, string?>());

        // Eight scorers at once in a process that has not read the active checkpoint yet (as the one-shot analyze does:
        // its warm-up read runs while the analysis' sentiment expert asks): none may fall back to the lexicon meanwhile.
        var scores = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var scope = services.Provider.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ScoreSentences(["Profit rose."]));
        }));

        Assert.That(scores.Select(s => s?.Model), Is.All.EqualTo($"model:{trained.CheckpointId.ToString("N")[..8]}"));
    }

    [TestCase("text,label\npositive,fine\n", "must start with the header 'label,text'")]
    [TestCase("label,text\npositive,Profit rose.\nbullish,Shares jumped.\nneutral,\n", "line 3: label 'bullish' is not positive, negative or neutral")]
    [TestCase("label,text\npositive,Profit rose.\n", "at least 5 sentences of every label")]
    public async Task Train_WithBadLabels_IsRefusedNamingTheProblem_AndStoresNothing(string csv, string problem)
    {
        var path = Path.Combine(folder, "bad.csv");
        await File.WriteAllTextAsync(path, csv);

        var refused = Assert.ThrowsAsync<ModelRefusedException>(async () => await Testing.SendAsync(new TrainSentimentModel(path)));

        Assert.That(refused!.Message, Does.Contain(problem));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM training.model_checkpoints"), Is.Zero);
    }

    [Test]
    public async Task SentimentVerb_WithoutTrainedModel_UsesTheLexicon_AndScoresAFileLineByLine()
    {
        var file = Path.Combine(folder, "sentences.txt");
        await File.WriteAllTextAsync(file, "Shares surge after record profit\n\nProfit warning sends shares plunging\n");

        var one = await CliProcess.RunAsync(Testing.ConnectionString, "sentiment", "Shares surge after record profit", "--json");
        var many = await CliProcess.RunAsync(Testing.ConnectionString, "sentiment", "--file", file);
        var missing = await CliProcess.RunAsync(Testing.ConnectionString, "sentiment", "--file", Path.Combine(folder, "nope.txt"));

        Assert.That(one.ExitCode, Is.Zero, one.StandardError);
        Assert.That(one.StandardOutput, Does.Contain("\"scorer\": \"lexicon\"").Or.Contain("\"scorer\":\"lexicon\""));
        Assert.That(one.StandardOutput, Does.Contain("positive"));
        Assert.That(many.ExitCode, Is.Zero, many.StandardError);
        Assert.That(many.StandardOutput.Split('\n').Count(l => l.Contains("Shares surge after record profit") || l.Contains("Profit warning sends shares plunging")), Is.EqualTo(2), many.StandardOutput);
        Assert.That(missing.ExitCode, Is.EqualTo(2));
        Assert.That(missing.StandardError + missing.StandardOutput, Does.Contain("does not exist"));
    }

    /// <summary>A small 3-class set with separable vocabulary; <paramref name="noise"/> of the labels are shuffled.</summary>
    private string WriteLabels(string name, double noise)
    {
        string[] positive = ["Profit rose", "Sales grew strongly", "The company raised its outlook", "Orders increased", "Margins improved"];
        string[] negative = ["Profit fell", "Sales dropped sharply", "The company cut its outlook", "Losses widened", "Margins deteriorated"];
        string[] neutral = ["The company is based in Helsinki", "The meeting is held on Tuesday", "The firm employs engineers", "The report covers the period", "The office is located downtown"];
        var random = new Random(7);
        var text = new StringBuilder("label,text\n");
        string[] labels = ["positive", "negative", "neutral"];
        for (var i = 0; i < 40; i++)
        {
            foreach (var (label, phrases) in new[] { ("positive", positive), ("negative", negative), ("neutral", neutral) })
            {
                var written = random.NextDouble() < noise ? labels[random.Next(3)] : label;
                text.Append(written).Append(",\"").Append(phrases[i % phrases.Length]).Append(" in quarter ").Append(i).Append(".\"\n");
            }
        }

        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>The Financial PhraseBank beside the repository (../shared/data/fpb), or where HUIHUI_FPB points.</summary>
    private static string FinancialPhraseBank()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("HUIHUI_FPB") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, "shared", "data", "fpb", "train.csv"));
        }

        candidates.Add("/work/shared/data/fpb/train.csv");
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InconclusiveException($"the Financial PhraseBank is not beside this checkout (looked in {string.Join(", ", candidates.Take(3))}…); set HUIHUI_FPB");
    }
}
