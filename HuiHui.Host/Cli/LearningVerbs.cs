using System.Globalization;
using System.Text;
using HuiHui.Host.Hosting;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Npgsql;

namespace HuiHui.Host.Cli;

/// <summary><c>huihui train sentiment --labels CSV</c>, <c>huihui train meta [--horizon 00:15:00]</c>, <c>huihui train ideas</c> and <c>huihui sentiment (--file F | "TEXT")</c>.</summary>
internal static class LearningVerbs
{
    public static Task<int> TrainSentimentAsync(CliOutput output, string labels, int folds, CancellationToken cancellationToken) =>
        TrainAsync(output, new TrainSentimentModel(labels, folds), cancellationToken);

    public static Task<int> TrainMetaAsync(CliOutput output, TimeSpan horizon, CancellationToken cancellationToken) =>
        TrainAsync(output, new TrainMetaModel(horizon), cancellationToken);

    /// <summary><c>huihui train ideas</c>: the idea gate from the closed ideas' outcomes, validated on the newest 30 %.</summary>
    public static async Task<int> TrainIdeasAsync(CliOutput output, CancellationToken cancellationToken)
    {
        using var host = CliHost.Build();
        try
        {
            var report = await host.SendAsync(new TrainIdeaGate(), cancellationToken);
            return output.Ok(report, r => string.Create(CultureInfo.InvariantCulture,
                $"idea gate {r.Id.ToString()[..8]}: {(r.Promoted ? "promoted" : "not promoted")} ({r.Reason}); learned from {r.TrainTrades} closed ideas") +
                string.Concat(r.Gate.Floors.Select(f => string.Create(CultureInfo.InvariantCulture,
                    $"\n  {f.Strategy} in '{f.Regime}': only from {(f.MinConviction > 1 ? "never" : f.MinConviction.ToString("P0", CultureInfo.InvariantCulture))} ({f.Trades} trades, {f.MeanRAll:+0.00;-0.00;0.00} R a trade, {(f.MeanRTaken is { } t ? t.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : "–")} above the floor)"))));
        }
        catch (Exception error) when (error.GetBaseException() is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable })
        {
            return output.Fail(HuiHuiCli.Failed, "the database is not up to date: run ./huihui.sh migrate first.");
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException { InnerException: NpgsqlException })
        {
            return output.Fail(HuiHuiCli.Failed, $"cannot read the ideas: PostgreSQL is unreachable ({error.GetBaseException().Message}).");
        }
    }

    private static async Task<int> TrainAsync(CliOutput output, Mediator.ICommand<TrainingReport> command, CancellationToken cancellationToken)
    {
        using var host = CliHost.Build();
        try
        {
            var report = await host.SendAsync(command, cancellationToken);
            return output.Ok(report, Describe);
        }
        catch (RequestValidationException error)
        {
            return output.Fail(HuiHuiCli.Usage, string.Join("; ", error.Failures.Select(f => f.ToString())));
        }
        catch (ModelRefusedException error)
        {
            return output.Fail(HuiHuiCli.Usage, error.Message);
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException { InnerException: NpgsqlException })
        {
            return output.Fail(HuiHuiCli.Failed, $"cannot store the checkpoint: PostgreSQL is unreachable ({error.GetBaseException().Message}).");
        }
    }

    public static async Task<int> SentimentAsync(CliOutput output, string? text, string? file, CancellationToken cancellationToken)
    {
        if ((text is null) == (file is null))
        {
            return output.Fail(HuiHuiCli.Usage, "give either a sentence or --file FILE (one sentence per line).");
        }

        List<string> sentences;
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                return output.Fail(HuiHuiCli.Usage, $"file '{file}' does not exist.");
            }

            sentences = (await File.ReadAllLinesAsync(file, cancellationToken)).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            if (sentences.Count == 0)
            {
                return output.Fail(HuiHuiCli.Usage, $"file '{file}' has no sentences (one per line).");
            }
        }
        else
        {
            sentences = [text!];
        }

        using var host = CliHost.Build();
        try
        {
            var scores = await host.SendAsync(new ScoreText(sentences), cancellationToken);
            var rows = sentences.Zip(scores.Scores, (s, score) => new ScoredSentence(s, score.Label, score.Score)).ToList();
            return output.Ok(new SentimentOutput(scores.Scorer, rows), o => Describe(o));
        }
        catch (RequestValidationException error)
        {
            return output.Fail(HuiHuiCli.Usage, string.Join("; ", error.Failures.Select(f => f.ToString())));
        }
    }

    private sealed record ScoredSentence(string Text, string Label, double Score);

    private sealed record SentimentOutput(string Scorer, IReadOnlyList<ScoredSentence> Sentences);

    private static string Describe(SentimentOutput output)
    {
        var text = new StringBuilder();
        foreach (var s in output.Sentences)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{s.Label,-8} {s.Score,6:+0.00;-0.00; 0.00}  {s.Text}");
        }

        text.Append(CultureInfo.InvariantCulture, $"scored by {output.Scorer}");
        return text.ToString();
    }

    private static string Describe(TrainingReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"checkpoint {report.CheckpointId} ({report.Kind}): {(report.Promoted ? "PROMOTED" : "not promoted")} — {report.Reason}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {report.Metrics.Validation}: {Line(report.Metrics)}");
        if (report.Previous is { } previous)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  active model before: {Line(previous)}");
        }

        foreach (var (name, metrics) in report.Baselines)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {name} ({metrics.Validation}): {Line(metrics)}");
        }

        return text.ToString().TrimEnd();
    }

    private static string Line(ModelMetrics m) =>
        $"accuracy {m.Accuracy:P1}, macro-F1 {m.MacroF1:F3}" + (m.LogLoss is { } l ? $", log-loss {l:F3}" : "") + (m.Brier is { } b ? $", Brier {b:F3}" : "") + $" ({m.Examples} examples)";
}
