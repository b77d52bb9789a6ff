using System.Diagnostics;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Learning.Features;
using HuiHui.Modules.Learning.Models;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Learning;

/// <summary>Evidence that the meta gating model learns: simulated market, fixed seed, validated on a later held-out period.</summary>
public sealed class MetaModelTests : DatabaseTest
{
    private static readonly TimeSpan Horizon = TimeSpan.FromMinutes(15);

    /// <summary>Generated once per run (about 45 s): both tests below use the same examples.</summary>
    private static readonly Lazy<Task<List<MetaExample>>> Examples = new(() => SimulatedExamplesAsync(days: 16, everyMinutes: 4));

    [Test]
    public async Task Meta_TrainedOnTheSimulator_BeatsConstantAndEverySingleExpertOnLaterHeldOutData()
    {
        var examples = await Examples.Value;

        var (metrics, baselines, model) = MetaModel.TrainAndValidate(examples, validationShare: 0.25);

        TestContext.Progress.WriteLine($"meta gating ({metrics.Validation}): accuracy {metrics.Accuracy:F3}, log-loss {metrics.LogLoss:F4}, Brier {metrics.Brier:F4}");
        foreach (var (name, b) in baselines)
        {
            TestContext.Progress.WriteLine($"  {name}: accuracy {b.Accuracy:F3}, log-loss {b.LogLoss:F4}, Brier {b.Brier:F4}");
        }

        Assert.That(model, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (name, baseline) in baselines)
            {
                Assert.That(metrics.LogLoss!.Value, Is.LessThan(baseline.LogLoss!.Value), $"log-loss vs {name}");
                Assert.That(metrics.Accuracy, Is.GreaterThan(baseline.Accuracy), $"accuracy vs {name}");
            }
        });
    }

    [Test]
    public async Task TrainMeta_FromStoredExamples_PromotesTheFirstCheckpoint_AndKeepsAnEqualRetrainAsRejected()
    {
        await StoreAsync((await Examples.Value).Take(1500).ToList());

        var first = await Testing.SendAsync(new TrainMetaModel(Horizon));
        var second = await Testing.SendAsync(new TrainMetaModel(Horizon));
        var cli = await CliProcess.RunAsync(Testing.ConnectionString, "train", "meta", "--json");
        var checkpoints = await Testing.SendAsync(new GetCheckpoints(ModelKinds.MetaGating));
        var analysis = await Testing.SendAsync(new AnalyzeSymbol("SPY", "simulated"));

        Assert.That(first.Promoted, Is.True, first.Reason);
        Assert.That(first.Metrics.Validation, Does.StartWith("time-ordered split: fit on 1200 earlier, validate on 300 later"));
        Assert.That(first.Baselines.Keys, Is.EquivalentTo(new[] { "constant", "flow", "sentiment", "meta-rules" }));
        Assert.That(second.Promoted, Is.False);
        Assert.That(second.Reason, Does.Contain("does not beat the active"));
        Assert.That(cli.ExitCode, Is.Zero, cli.StandardError);
        Assert.That(cli.StandardOutput, Does.Contain("\"promoted\": false").Or.Contain("\"promoted\":false"));
        Assert.That(checkpoints.Single(c => c.Status == CheckpointStatus.Active).Id, Is.EqualTo(first.CheckpointId));
        Assert.That(analysis.Meta.Outlook, Is.Not.Null, "the active gating model gives its outlook with every analysis");
        Assert.That(analysis.Meta.Outlook!.Model, Is.EqualTo($"model:{first.CheckpointId.ToString("N")[..8]}"));
        Assert.That(analysis.Meta.Outlook.ProbabilityUp, Is.InRange(0.0, 1.0));
        Assert.That(checkpoints.Where(c => c.Status == CheckpointStatus.Rejected).Select(c => c.FeatureSchemaVersion).Distinct(), Is.EqualTo(new[] { FeatureSchema.Version }));
    }

    [Test]
    public async Task TrainMeta_WithTooFewExamples_IsRefusedSayingHowMany()
    {
        await StoreAsync((await Examples.Value).Take(60).ToList());

        var refused = Assert.ThrowsAsync<ModelRefusedException>(async () => await Testing.SendAsync(new TrainMetaModel(Horizon)));

        Assert.That(refused!.Message, Does.Contain("60 labelled examples are too few"));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM training.model_checkpoints"), Is.Zero);
    }

    private static async Task StoreAsync(List<MetaExample> examples)
    {
        // The simulated symbols share times: one stored symbol per occurrence of a time keeps (symbol, as-of) unique.
        var seen = new Dictionary<DateTimeOffset, int>();
        var vectors = examples.ConvertAll(e => new FeatureVectorRecord { Symbol = $"SIM{seen[e.AsOf] = seen.GetValueOrDefault(e.AsOf) + 1}", AsOf = e.AsOf, SchemaVersion = FeatureSchema.Version, Values = e.Features, CreatedAt = e.AsOf });
        await Testing.InsertAsync<LearningDbContext>([.. vectors]);
        var labels = vectors.Select((v, i) => new LabeledExampleRecord
        {
            FeatureVectorId = v.Id,
            Symbol = v.Symbol,
            AsOf = v.AsOf,
            HorizonSeconds = (int)Horizon.TotalSeconds,
            ForwardReturn = examples[i].Label ? 0.001 : -0.001,
            Direction = examples[i].Label ? (short)1 : (short)-1,
            ExpertOutcomes = "{}",
            LabeledAt = v.AsOf + Horizon,
        }).ToArray();
        await Testing.InsertAsync<LearningDbContext>(labels);
    }

    /// <summary>
    /// Each example: the feature vector of the full analysis (metrics, the three experts, the rule-based meta) of the
    /// simulated snapshot at minute m, and whether the simulated price 15 minutes later is higher. Features never see
    /// anything after m (the snapshot is built for m); the label reads the path at m + 15 only.
    /// </summary>
    private static async Task<List<MetaExample>> SimulatedExamplesAsync(int days, int everyMinutes)
    {
        await using var services = ModuleServices.Build(new Dictionary<string, string?> { ["HuiHui:Ingestion:Simulated:Seed"] = "42" });
        await using var scope = services.Provider.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var market = services.Get<SimulatedMarket>();
        var runner = services.Get<AnalysisRunner>();
        var examples = new List<MetaExample>();
        var started = Stopwatch.StartNew();
        var last = market.CurrentMinute - TradingCalendar.MinutesPerDay;
        var first = last - (days * TradingCalendar.MinutesPerDay);
        foreach (var symbol in new[] { "SPY", "QQQ", "IWM" })
        {
            for (var minute = first; minute < last; minute += everyMinutes)
            {
                if (minute % TradingCalendar.MinutesPerDay is < 30 or > TradingCalendar.MinutesPerDay - 16)
                {
                    continue; // the opening half hour has too little flow; the label must end the same day
                }

                var snapshot = market.Snapshot(symbol, minute);
                // No leakage: nothing in the snapshot the features come from is later than its as-of time.
                Assert.That(snapshot.Prints.All(p => p.Time <= snapshot.AsOf) && snapshot.Bars.All(b => b.Start <= snapshot.AsOf) && snapshot.News.All(n => n.PublishedAt <= snapshot.AsOf), Is.True,
                    $"{symbol} snapshot at {snapshot.AsOf} holds data from after it");
                var analysis = await runner.RunAsync(snapshot, mediator, 0, CancellationToken.None, mode: AnalysisMode.Benchmark);
                var later = market.GroundTruth(symbol, minute + (long)Horizon.TotalMinutes).Spot;
                if (later != snapshot.Spot)
                {
                    examples.Add(new MetaExample { AsOf = snapshot.AsOf, Features = FeatureSchema.From(analysis), Label = later > snapshot.Spot });
                }
            }
        }

        TestContext.Progress.WriteLine($"{examples.Count} simulated examples in {started.Elapsed.TotalSeconds:F1} s ({examples.Count(e => e.Label)} up)");
        return examples;
    }
}
