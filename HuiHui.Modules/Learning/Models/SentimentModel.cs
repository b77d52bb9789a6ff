using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using HuiHui.Modules.Learning.Contracts;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace HuiHui.Modules.Learning.Models;

/// <summary>One labelled sentence.</summary>
internal sealed class LabelledSentence
{
    public string Label { get; set; } = "";

    public string Text { get; set; } = "";
}

internal sealed class SentimentPrediction
{
    [ColumnName("PredictedLabel")]
    public string PredictedLabel { get; set; } = "";

    /// <summary>Class probabilities in the order of the label key (see <see cref="SentimentModel.ClassOrder"/>).</summary>
    public float[] Score { get; set; } = [];
}

/// <summary>
/// The 3-class sentiment classifier: text normalised (lower case, punctuation dropped, numbers kept), word 1–2-grams
/// and character 3-grams, TF-IDF-weighted bags, then multinomial logistic regression (SDCA maximum entropy). Validated by
/// stratified k-fold; the shipped model is fitted on every row. Deterministic for a seed.
/// </summary>
internal static class SentimentModel
{
    public static readonly string[] Labels = ["negative", "neutral", "positive"];

    private const int Seed = 20261201;

    /// <summary>Reads a <c>label,text</c> CSV; every bad row is named (line and why) and nothing is trained from a bad file.</summary>
    public static List<LabelledSentence> ReadLabels(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelRefusedException($"labels file '{path}' does not exist");
        }

        var rows = new List<LabelledSentence>();
        var problems = new List<string>();
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, TrimOptions = TrimOptions.Trim });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header
            || !header.Select(h => h.Trim().ToLowerInvariant()).SequenceEqual(["label", "text"]))
        {
            throw new ModelRefusedException($"'{path}' must start with the header 'label,text'");
        }

        while (csv.Read())
        {
            var line = csv.Parser.Row;
            var label = csv.GetField(0)?.Trim().ToLowerInvariant() ?? "";
            var text = csv.TryGetField<string>(1, out var t) ? t?.Trim() ?? "" : "";
            if (!Labels.Contains(label))
            {
                problems.Add($"line {line}: label '{label}' is not positive, negative or neutral");
            }
            else if (text.Length == 0)
            {
                problems.Add($"line {line}: the text is empty");
            }
            else
            {
                rows.Add(new LabelledSentence { Label = label, Text = text });
            }
        }

        if (problems.Count > 0)
        {
            throw new ModelRefusedException($"'{path}' has {problems.Count} bad row(s): {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? "; …" : "")}");
        }

        var missing = Labels.Where(l => rows.Count(r => r.Label == l) < 5).ToList();
        if (missing.Count > 0)
        {
            throw new ModelRefusedException($"'{path}' needs at least 5 sentences of every label; too few: {string.Join(", ", missing)}");
        }

        return rows;
    }

    public static IEstimator<ITransformer> Pipeline(MLContext ml)
    {
        var text = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepDiacritics = false,
            KeepPunctuations = false,
            KeepNumbers = true,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 3, UseAllLengths = false, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
        };
        return ml.Transforms.Conversion.MapValueToKey("Label", "Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.Transforms.Text.FeaturizeText("Features", text, nameof(LabelledSentence.Text)))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
    }

    /// <summary>Stratified k-fold: each fold holds the same share of every label.</summary>
    public static ModelMetrics CrossValidate(IReadOnlyList<LabelledSentence> rows, int folds)
    {
        var fold = StratifiedFolds(rows, folds);
        var truth = new List<int>();
        var probabilities = new List<float[]>();
        for (var k = 0; k < folds; k++)
        {
            var ml = new MLContext(Seed);
            var train = ml.Data.LoadFromEnumerable(rows.Where((_, i) => fold[i] != k));
            var model = Pipeline(ml).Fit(train);
            var engine = ml.Model.CreatePredictionEngine<LabelledSentence, SentimentPrediction>(model);
            for (var i = 0; i < rows.Count; i++)
            {
                if (fold[i] == k)
                {
                    truth.Add(Array.IndexOf(Labels, rows[i].Label));
                    probabilities.Add(engine.Predict(rows[i]).Score);
                }
            }
        }

        return Evaluate(truth, probabilities, $"stratified {folds}-fold cross-validation");
    }

    /// <summary>Accuracy, macro-F1, log-loss and multi-class Brier of predicted class probabilities.</summary>
    public static ModelMetrics Evaluate(IReadOnlyList<int> truth, IReadOnlyList<float[]> probabilities, string validation)
    {
        var classes = probabilities.Count == 0 ? Labels.Length : probabilities[0].Length;
        var confusion = new int[classes, classes];
        double logLoss = 0, brier = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            var p = probabilities[i];
            var predicted = Array.IndexOf(p, p.Max());
            confusion[truth[i], predicted]++;
            logLoss -= Math.Log(Math.Max(p[truth[i]], 1e-15));
            for (var c = 0; c < classes; c++)
            {
                var target = c == truth[i] ? 1.0 : 0.0;
                brier += (p[c] - target) * (p[c] - target);
            }
        }

        var f1 = 0.0;
        var correct = 0;
        for (var c = 0; c < classes; c++)
        {
            correct += confusion[c, c];
            var predictedC = Enumerable.Range(0, classes).Sum(r => confusion[r, c]);
            var actualC = Enumerable.Range(0, classes).Sum(p => confusion[c, p]);
            var precision = predictedC == 0 ? 0 : (double)confusion[c, c] / predictedC;
            var recall = actualC == 0 ? 0 : (double)confusion[c, c] / actualC;
            f1 += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }

        var n = Math.Max(1, truth.Count);
        return new ModelMetrics(correct / (double)n, f1 / classes, logLoss / n, brier / n, truth.Count, validation);
    }

    /// <summary>Fits on every row and serialises the model (ML.NET's zip format).</summary>
    public static byte[] FitAndSave(IReadOnlyList<LabelledSentence> rows)
    {
        var ml = new MLContext(Seed);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = Pipeline(ml).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    private static int[] StratifiedFolds(IReadOnlyList<LabelledSentence> rows, int folds)
    {
        var random = new Random(Seed);
        var fold = new int[rows.Count];
        foreach (var group in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Label))
        {
            var indices = group.ToArray();
            random.Shuffle(indices);
            for (var j = 0; j < indices.Length; j++)
            {
                fold[indices[j]] = j % folds;
            }
        }

        return fold;
    }
}
