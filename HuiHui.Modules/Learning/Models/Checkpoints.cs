using System.Text.Json;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Learning.Models;

/// <summary>Checkpoint rows: metrics as JSON, status changes, and the promotion rule.</summary>
internal static class Checkpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string WriteMetrics(ModelMetrics metrics) => JsonSerializer.Serialize(metrics, Json);

    public static ModelMetrics? ReadMetrics(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ModelMetrics>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static CheckpointInfo Info(ModelCheckpointRecord r, int size) =>
        new(r.Id, r.Kind, r.Status, ReadMetrics(r.Metrics), r.FeatureSchemaVersion, r.Reason, r.CreatedAt, r.PromotedAt, size);

    /// <summary>
    /// Promote only what is better on validation: sentiment by macro-F1 (higher), the meta gating model by log-loss
    /// (lower). Ties keep the active model.
    /// </summary>
    public static (bool Promote, string Reason) Decide(string kind, ModelMetrics candidate, ModelMetrics? active)
    {
        if (active is null)
        {
            return (true, "no active model: the first checkpoint becomes active");
        }

        if (kind == ModelKinds.Sentiment)
        {
            return candidate.MacroF1 > active.MacroF1
                ? (true, $"macro-F1 {candidate.MacroF1:F3} beats the active {active.MacroF1:F3}")
                : (false, $"macro-F1 {candidate.MacroF1:F3} does not beat the active {active.MacroF1:F3}");
        }

        var (c, a) = (candidate.LogLoss ?? double.MaxValue, active.LogLoss ?? double.MaxValue);
        return c < a
            ? (true, $"log-loss {c:F4} beats the active {a:F4}")
            : (false, $"log-loss {c:F4} does not beat the active {a:F4}");
    }

    /// <summary>
    /// Stores a trained model as a candidate checkpoint and applies the promotion rule against <paramref name="active"/>:
    /// better → loaded (<paramref name="load"/>; a model that cannot be used never becomes active), made active, put in
    /// <paramref name="host"/> and announced; otherwise kept as rejected with the reason.
    /// </summary>
    public static async Task<(Guid Id, bool Promoted, string Reason)> SubmitAsync<TModel>(
        LearningDbContext db, IMediator mediator, ActiveModelHost<TModel> host, TimeProvider time,
        string kind, byte[] bytes, ModelMetrics metrics, ModelMetrics? active, int featureSchemaVersion, Func<Guid, TModel> load, CancellationToken cancellationToken)
        where TModel : class, ILoadedModel
    {
        var (promote, reason) = Decide(kind, metrics, active);
        var record = new ModelCheckpointRecord
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            Status = CheckpointStatus.Candidate,
            Model = bytes,
            Metrics = WriteMetrics(metrics),
            FeatureSchemaVersion = featureSchemaVersion,
            Reason = reason,
            CreatedAt = time.GetUtcNow(),
        };
        db.ModelCheckpoints.Add(record);
        await db.SaveChangesAsync(cancellationToken);

        if (promote)
        {
            var loaded = load(record.Id);
            await ActivateAsync(db, record.Id, kind, reason, time.GetUtcNow(), cancellationToken);
            host.Use(loaded);
            await mediator.Publish(new CheckpointActivated(record.Id, kind), cancellationToken);
        }
        else
        {
            await RefuseAsync(db, record.Id, reason, restore: null, cancellationToken);
        }

        return (record.Id, promote, reason);
    }

    /// <summary>Makes <paramref name="id"/> the active checkpoint of its kind; the previous active one is retired. One transaction.</summary>
    public static async Task ActivateAsync(LearningDbContext db, Guid id, string kind, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.ModelCheckpoints.Where(c => c.Kind == kind && c.Status == CheckpointStatus.Active && c.Id != id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CheckpointStatus.Retired), cancellationToken);
        await db.ModelCheckpoints.Where(c => c.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CheckpointStatus.Active).SetProperty(c => c.PromotedAt, now).SetProperty(c => c.Reason, reason), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Marks a checkpoint that cannot be used as rejected; <paramref name="restore"/> (the model still loaded) becomes active again.</summary>
    public static async Task RefuseAsync(LearningDbContext db, Guid id, string reason, Guid? restore, CancellationToken cancellationToken)
    {
        await db.ModelCheckpoints.Where(c => c.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CheckpointStatus.Rejected).SetProperty(c => c.Reason, reason), cancellationToken);
        if (restore is { } previous)
        {
            await db.ModelCheckpoints.Where(c => c.Id == previous)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CheckpointStatus.Active), cancellationToken);
        }
    }
}
