using FluentValidation;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Learning.Models;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HuiHui.Modules.Learning.Features;

internal sealed class TrainMetaModelValidator : AbstractValidator<TrainMetaModel>
{
    public TrainMetaModelValidator()
    {
        RuleFor(c => c.Horizon).InclusiveBetween(TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
        RuleFor(c => c.ValidationShare).InclusiveBetween(0.05, 0.5);
    }
}

/// <summary>Reads the labelled examples (features as written at as-of, oldest first), trains, validates, stores, promotes if better.</summary>
internal sealed class TrainMetaModelHandler(LearningDbContext db, NpgsqlDataSource dataSource, MetaModelHost host, IMediator mediator, TimeProvider time) : ICommandHandler<TrainMetaModel, TrainingReport>
{
    public async ValueTask<TrainingReport> Handle(TrainMetaModel command, CancellationToken cancellationToken)
    {
        var examples = new List<MetaExample>();
        await using (var sql = dataSource.CreateCommand(
            """
            SELECT e.as_of, e.direction, v."values"
            FROM training.labeled_examples e JOIN training.feature_vectors v ON v.id = e.feature_vector_id
            WHERE e.horizon_seconds = $1 AND e.direction <> 0 AND v.schema_version = $2
            ORDER BY e.as_of, e.id
            """))
        {
            sql.Parameters.Add(new NpgsqlParameter { Value = (int)command.Horizon.TotalSeconds });
            sql.Parameters.Add(new NpgsqlParameter { Value = FeatureSchema.Version });
            await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var values = reader.GetFieldValue<float[]>(2);
                if (values.Length == FeatureSchema.Names.Length)
                {
                    examples.Add(new MetaExample { AsOf = reader.GetFieldValue<DateTimeOffset>(0), Label = reader.GetInt16(1) > 0, Features = values });
                }
            }
        }

        var (metrics, baselines, bytes) = await Task.Run(() => MetaModel.TrainAndValidate(examples, command.ValidationShare), cancellationToken);
        var activeRecord = await db.ModelCheckpoints.AsNoTracking()
            .Where(c => c.Kind == ModelKinds.MetaGating && c.Status == CheckpointStatus.Active)
            .Select(c => new { c.Metrics, c.FeatureSchemaVersion }).FirstOrDefaultAsync(cancellationToken);
        var active = activeRecord is { FeatureSchemaVersion: FeatureSchema.Version } ? Checkpoints.ReadMetrics(activeRecord.Metrics) : null;
        var (id, promoted, reason) = await Checkpoints.SubmitAsync(
            db, mediator, host, time, ModelKinds.MetaGating, bytes, metrics, active, FeatureSchema.Version,
            checkpoint => LoadedMetaModel.Load(checkpoint, bytes, FeatureSchema.Version), cancellationToken);

        return new TrainingReport(id, ModelKinds.MetaGating, promoted, reason, metrics, active, baselines);
    }
}
