using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Features;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HuiHui.Modules.Learning.Models;

/// <summary>One labelled example: the feature vector at as-of and whether the price was higher after the horizon.</summary>
internal sealed class MetaExample
{
    public DateTimeOffset AsOf { get; set; }

    [VectorType(26)]
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }
}

internal sealed class MetaPrediction
{
    public float Probability { get; set; }
}

/// <summary>
/// The Meta-Orchestrator's gating model: from the experts' signals and confidences, the regime and key metrics
/// (<see cref="FeatureSchema"/>) to the probability that the price is higher after the horizon. Missing features are
/// replaced by their training mean, features standardised, then an L1/L2-regularised logistic regression (L-BFGS):
/// the signals are weak and noisy, so a regularised linear model with calibrated probabilities beats trees that overfit.
/// Validation is time-ordered: fit on the earliest share, score the later rest (no future rows in training).
/// </summary>
internal static class MetaModel
{
    private const int Seed = 20261201;

    /// <summary>An expert's stated chance that its direction is right, as a probability of "up" (clipped away from 0 and 1).</summary>
    public static float ExpertProbability(float direction, float confidence)
    {
        if (float.IsNaN(direction) || direction == 0 || float.IsNaN(confidence))
        {
            return 0.5f;
        }

        var right = 0.5f + (0.5f * Math.Clamp(Math.Abs(confidence), 0f, 1f));
        return Math.Clamp(direction > 0 ? right : 1 - right, 0.02f, 0.98f);
    }

    public static IEstimator<ITransformer> Pipeline(MLContext ml) =>
        ml.Transforms.ReplaceMissingValues(nameof(MetaExample.Features), replacementMode: Microsoft.ML.Transforms.MissingValueReplacingEstimator.ReplacementMode.Mean)
            .Append(ml.Transforms.NormalizeMeanVariance(nameof(MetaExample.Features)))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(
                labelColumnName: nameof(MetaExample.Label),
                featureColumnName: nameof(MetaExample.Features),
                l1Regularization: 0.5f,
                l2Regularization: 5f));

    /// <summary>Time-ordered split, fit on the earlier part, metrics on the later part with the baselines; then refit on all.</summary>
    public static (ModelMetrics Metrics, IReadOnlyDictionary<string, ModelMetrics> Baselines, byte[] Model) TrainAndValidate(IReadOnlyList<MetaExample> examples, double validationShare)
    {
        var ordered = examples.OrderBy(e => e.AsOf).ToList();
        var cut = (int)Math.Round(ordered.Count * (1 - validationShare));
        if (cut < 50 || ordered.Count - cut < 50)
        {
            throw new ModelRefusedException($"{ordered.Count} labelled examples are too few: training needs at least 50 before and 50 after the time split");
        }

        var (train, validation) = (ordered[..cut], ordered[cut..]);
        var validationName = $"time-ordered split: fit on {train.Count} earlier, validate on {validation.Count} later examples";
        var ml = new MLContext(Seed);
        var model = Pipeline(ml).Fit(ml.Data.LoadFromEnumerable(train));
        var scored = ml.Data.CreateEnumerable<MetaPrediction>(model.Transform(ml.Data.LoadFromEnumerable(validation)), reuseRowObject: false).Select(p => p.Probability).ToList();
        var truth = validation.ConvertAll(e => e.Label);
        var metrics = Evaluate(truth, scored, validationName);

        var upShare = (float)train.Count(e => e.Label) / train.Count;
        var baselines = new Dictionary<string, ModelMetrics>
        {
            ["constant"] = Evaluate(truth, validation.ConvertAll(_ => upShare), validationName),
        };
        foreach (var (expert, direction, confidence) in new[] { ("flow", "flow_score", "flow_confidence"), ("sentiment", "sentiment_score", "sentiment_confidence"), ("meta-rules", "meta_direction", "meta_conviction") })
        {
            var (d, c) = (Array.IndexOf(FeatureSchema.Names, direction), Array.IndexOf(FeatureSchema.Names, confidence));
            baselines[expert] = Evaluate(truth, validation.ConvertAll(e => ExpertProbability(e.Features[d], e.Features[c])), validationName);
        }

        var final = Pipeline(ml).Fit(ml.Data.LoadFromEnumerable(ordered));
        using var stream = new MemoryStream();
        ml.Model.Save(final, ml.Data.LoadFromEnumerable(ordered.Take(1)).Schema, stream);
        return (metrics, baselines, stream.ToArray());
    }

    /// <summary>Refuses a checkpoint that does not load, was trained on another feature schema, or gives no probability.</summary>
    public static void Check(Guid id, byte[] bytes, int featureSchemaVersion) => LoadedMetaModel.Load(id, bytes, featureSchemaVersion);

    /// <summary>Loads a checkpoint into a prediction engine, refusing one that cannot be used.</summary>
    public static PredictionEngine<MetaExample, MetaPrediction> Engine(Guid id, byte[] bytes, int featureSchemaVersion)
    {
        if (featureSchemaVersion != FeatureSchema.Version)
        {
            throw new ModelRefusedException($"checkpoint {id} was trained on feature schema v{featureSchemaVersion}; this build writes v{FeatureSchema.Version}");
        }

        try
        {
            var ml = new MLContext();
            using var stream = new MemoryStream(bytes);
            var model = ml.Model.Load(stream, out _);
            var engine = ml.Model.CreatePredictionEngine<MetaExample, MetaPrediction>(model);
            var p = engine.Predict(new MetaExample { Features = new float[FeatureSchema.Names.Length] }).Probability;
            if (!(p is >= 0 and <= 1))
            {
                throw new ModelRefusedException($"checkpoint {id} gives {p} instead of a probability");
            }

            return engine;
        }
        catch (Exception exception) when (exception is not ModelRefusedException and not OutOfMemoryException)
        {
            throw new ModelRefusedException($"checkpoint {id} cannot be loaded as a meta gating model: {exception.GetBaseException().Message}");
        }
    }

    /// <summary>Binary metrics of P(up): accuracy (threshold 0.5), macro-F1 over up/down, log-loss, Brier.</summary>
    public static ModelMetrics Evaluate(IReadOnlyList<bool> truth, IReadOnlyList<float> probabilityUp, string validation)
    {
        var indices = truth.Select(t => t ? 1 : 0).ToList();
        var probabilities = probabilityUp.Select(p => new[] { 1 - Math.Clamp(p, 1e-6f, 1 - 1e-6f), Math.Clamp(p, 1e-6f, 1 - 1e-6f) }).ToList();
        var metrics = SentimentModel.Evaluate(indices, probabilities, validation);
        // Binary Brier is the mean of (p − y)²: half the two-class sum.
        return metrics with { Brier = metrics.Brier / 2 };
    }
}

/// <summary>The active meta gating checkpoint, loaded.</summary>
internal sealed class LoadedMetaModel(Guid id, PredictionEngine<MetaExample, MetaPrediction> engine)
    : LoadedModel<MetaExample, MetaPrediction>(id, engine)
{
    public static LoadedMetaModel Load(Guid id, byte[] bytes, int featureSchemaVersion) => new(id, MetaModel.Engine(id, bytes, featureSchemaVersion));

    /// <summary>P(price higher after the horizon) for one feature vector.</summary>
    public double ProbabilityUp(float[] features) => Predict(new MetaExample { Features = features }).Probability;
}
