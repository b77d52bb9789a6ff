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

/// <summary>A usable model is active again: the alert about a refused checkpoint of that kind is over.</summary>
internal sealed class ResolveRefusedCheckpointAlert(IMediator mediator) : INotificationHandler<CheckpointActivated>
{
    public async ValueTask Handle(CheckpointActivated notification, CancellationToken cancellationToken) =>
        await mediator.Send(new HuiHui.Modules.Monitoring.Contracts.ResolveAlert("learning", $"checkpoint-refused:{notification.Kind}"), cancellationToken);
}
