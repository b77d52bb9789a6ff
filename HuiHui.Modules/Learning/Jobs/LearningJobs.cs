using System.ComponentModel;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Learning.Contracts;
using Mediator;
using Microsoft.Extensions.Configuration;

namespace HuiHui.Modules.Learning.Jobs;

/// <summary>Hangfire entry points of the module.</summary>
internal sealed class LearningJobs(IMediator mediator, IConfiguration configuration)
{
    public const string LabelsId = "learning:labels";
    public const string RetrainId = "learning:nightly-retrain";

    /// <summary>Horizons from <c>HuiHui:Learning:LabelHorizons</c> (default 15 minutes and 1 day).</summary>
    [DisplayName("Generate outcome labels and refresh the expert scorecards")]
    public async Task<string> LabelsAsync(CancellationToken cancellationToken)
    {
        var configured = configuration.GetSection("HuiHui:Learning:LabelHorizons").Get<TimeSpan[]>();
        var horizons = configured is { Length: > 0 } ? configured : [TimeSpan.FromMinutes(15), TimeSpan.FromDays(1)];
        var results = new List<string>();
        foreach (var horizon in horizons)
        {
            var report = await mediator.Send(new GenerateLabels(horizon), cancellationToken);
            var cards = await mediator.Send(new RefreshScorecards(horizon), cancellationToken);
            results.Add($"{horizon}: {report.Labelled} labelled, {report.WaitingForPrices} waiting; " +
                string.Join(", ", cards.Where(c => c.Regime is null).Select(c => $"{c.Expert} {c.HitRate:P0} of {c.Examples}")));
        }

        return string.Join("; ", results);
    }

    /// <summary>
    /// Labels first (so last night's outcomes count), then the idea gate from the trade ideas' outcomes (which conviction is
    /// worth trading per strategy and regime), then the meta gating model for <c>HuiHui:Learning:TrainingHorizon</c>
    /// (default 15 minutes). Too few examples is not a failure: the job says so and the active model stays.
    /// </summary>
    [DisplayName("Retrain the idea gate and the meta gating model (each promoted only if better)")]
    public async Task<string> RetrainAsync(CancellationToken cancellationToken)
    {
        var horizon = configuration.GetValue("HuiHui:Learning:TrainingHorizon", TimeSpan.FromMinutes(15));
        var labels = await mediator.Send(new GenerateLabels(horizon), cancellationToken);
        var gate = await mediator.Send(new TrainIdeaGate(), cancellationToken);
        var ideas = $"idea gate {(gate.Promoted ? "promoted" : "not promoted")} ({gate.Reason})";
        try
        {
            var report = await mediator.Send(new TrainMetaModel(horizon), cancellationToken);
            return $"{labels.Labelled} new labels; checkpoint {report.CheckpointId}: {(report.Promoted ? "promoted" : "not promoted")} ({report.Reason}); " +
                $"validation accuracy {report.Metrics.Accuracy:P1}, log-loss {report.Metrics.LogLoss:F4} on {report.Metrics.Examples} examples; {ideas}";
        }
        catch (ModelRefusedException refused)
        {
            return $"{labels.Labelled} new labels; not trained: {refused.Message}; {ideas}";
        }
    }
}
