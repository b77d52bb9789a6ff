using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Learning.Models;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Learning.Features;

internal sealed class ActivateCheckpointHandler(LearningDbContext db, SentimentModelHost host, MetaModelHost metaHost, IMediator mediator, TimeProvider time)
    : ICommandHandler<ActivateCheckpoint, CheckpointInfo>
{
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
