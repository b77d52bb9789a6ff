using FluentValidation;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Learning.Models;

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

internal sealed class PredictOutcomeHandler(MetaModelHost host) : IQueryHandler<PredictOutcome, OutcomePrediction?>
{
    public async ValueTask<OutcomePrediction?> Handle(PredictOutcome query, CancellationToken cancellationToken)
    {
        var model = await host.CurrentAsync(cancellationToken);
        return model is null ? null : new OutcomePrediction(model.Name, model.ProbabilityUp(Features.FeatureSchema.From(query.Analysis)));
    }
}

internal sealed class ScoreSentencesHandler(SentimentModelHost host) : IQueryHandler<ScoreSentences, SentenceScores?>
{
    public async ValueTask<SentenceScores?> Handle(ScoreSentences query, CancellationToken cancellationToken)
    {
        var model = await host.CurrentAsync(cancellationToken);
        return model is null ? null : new SentenceScores(model.Name, query.Sentences.Select(model.Score).ToList());
    }
}

internal sealed class GetCheckpointsValidator : AbstractValidator<GetCheckpoints>
{
    public GetCheckpointsValidator() => RuleFor(q => q.Count).InclusiveBetween(1, 1000);
}

internal sealed class CheckpointHandlers(LearningDbContext db, SentimentModelHost host, MetaModelHost metaHost, IMediator mediator, TimeProvider time)
    : IQueryHandler<GetCheckpoints, IReadOnlyList<CheckpointInfo>>, ICommandHandler<ActivateCheckpoint, CheckpointInfo>
{
    public async ValueTask<IReadOnlyList<CheckpointInfo>> Handle(GetCheckpoints query, CancellationToken cancellationToken)
    {
        var rows = await db.ModelCheckpoints.AsNoTracking()
            .Where(c => query.Kind == null || c.Kind == query.Kind)
            .OrderByDescending(c => c.CreatedAt).Take(query.Count)
            .Select(c => new { Record = new ModelCheckpointRecord { Id = c.Id, Kind = c.Kind, Status = c.Status, Metrics = c.Metrics, FeatureSchemaVersion = c.FeatureSchemaVersion, Reason = c.Reason, CreatedAt = c.CreatedAt, PromotedAt = c.PromotedAt }, Size = c.Model.Length })
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => Checkpoints.Info(r.Record, r.Size));
    }

    public async ValueTask<CheckpointInfo> Handle(ActivateCheckpoint command, CancellationToken cancellationToken)
    {
        var record = await db.ModelCheckpoints.AsNoTracking().FirstOrDefaultAsync(c => c.Id == command.CheckpointId, cancellationToken)
            ?? throw new ModelRefusedException($"there is no checkpoint {command.CheckpointId}");
        var reason = $"activated by an admin (was {record.Status.ToString().ToLowerInvariant()})";
        if (record.Kind == ModelKinds.Sentiment)
        {
            LoadedSentimentModel loaded;
            try
            {
                loaded = LoadedSentimentModel.Load(record.Id, record.Model);
            }
            catch (ModelRefusedException refused)
            {
                await Checkpoints.RefuseAsync(db, record.Id, refused.Message, restore: null, cancellationToken);
                throw;
            }

            await Checkpoints.ActivateAsync(db, record.Id, record.Kind, reason, time.GetUtcNow(), cancellationToken);
            host.Use(loaded);
        }
        else if (record.Kind == ModelKinds.MetaGating)
        {
            LoadedMetaModel loaded;
            try
            {
                loaded = LoadedMetaModel.Load(record.Id, record.Model, record.FeatureSchemaVersion);
            }
            catch (ModelRefusedException refused)
            {
                await Checkpoints.RefuseAsync(db, record.Id, refused.Message, restore: null, cancellationToken);
                throw;
            }

            await Checkpoints.ActivateAsync(db, record.Id, record.Kind, reason, time.GetUtcNow(), cancellationToken);
            metaHost.Use(loaded);
        }
        else
        {
            throw new ModelRefusedException($"checkpoint {record.Id} has an unknown kind '{record.Kind}'");
        }

        await mediator.Publish(new CheckpointActivated(record.Id, record.Kind), cancellationToken);
        var updated = await db.ModelCheckpoints.AsNoTracking().SingleAsync(c => c.Id == record.Id, cancellationToken);
        return Checkpoints.Info(updated, updated.Model.Length);
    }
}
