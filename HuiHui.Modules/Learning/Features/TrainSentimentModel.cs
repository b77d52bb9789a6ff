using FluentValidation;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Learning.Models;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Learning.Features;

internal sealed class TrainSentimentModelValidator : AbstractValidator<TrainSentimentModel>
{
    public TrainSentimentModelValidator()
    {
        RuleFor(c => c.LabelsPath).NotEmpty();
        RuleFor(c => c.Folds).InclusiveBetween(2, 20);
    }
}

internal sealed class TrainSentimentModelHandler(LearningDbContext db, IMediator mediator, SentimentModelHost host, TimeProvider time)
    : ICommandHandler<TrainSentimentModel, TrainingReport>
{
    public async ValueTask<TrainingReport> Handle(TrainSentimentModel command, CancellationToken cancellationToken)
    {
        var rows = SentimentModel.ReadLabels(command.LabelsPath);
        var metrics = await Task.Run(() => SentimentModel.CrossValidate(rows, command.Folds), cancellationToken);
        var bytes = await Task.Run(() => SentimentModel.FitAndSave(rows), cancellationToken);

        // The lexicon, measured on the same sentences (it has no probabilities: no log-loss or Brier).
        var lexicon = await mediator.Send(new ScoreText(rows.ConvertAll(r => r.Text), LexiconOnly: true), cancellationToken);
        var lexiconProbabilities = lexicon.Scores.Select(s => SentimentModel.Labels.Select(l => l == s.Label ? 1f : 0f).ToArray()).ToList();
        var lexiconMetrics = SentimentModel.Evaluate(rows.ConvertAll(r => Array.IndexOf(SentimentModel.Labels, r.Label)), lexiconProbabilities, "the same sentences") with { LogLoss = null, Brier = null };

        var activeRecord = await db.ModelCheckpoints.AsNoTracking()
            .Where(c => c.Kind == ModelKinds.Sentiment && c.Status == CheckpointStatus.Active)
            .Select(c => c.Metrics).FirstOrDefaultAsync(cancellationToken);
        var active = activeRecord is null ? null : Checkpoints.ReadMetrics(activeRecord);
        var (id, promoted, reason) = await Checkpoints.SubmitAsync(
            db, mediator, host, time, ModelKinds.Sentiment, bytes, metrics, active, featureSchemaVersion: 0, checkpoint => LoadedSentimentModel.Load(checkpoint, bytes), cancellationToken);
        return new TrainingReport(id, ModelKinds.Sentiment, promoted, reason, metrics, active, new Dictionary<string, ModelMetrics> { ["lexicon"] = lexiconMetrics });
    }
}
