using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Learning.Data;
using Mediator;

namespace HuiHui.Modules.Learning.Features;

/// <summary>Every completed analysis becomes a feature vector (schema v1), queued for the batched writer.</summary>
internal sealed class RecordFeatureVector(FeatureWriter writer, TimeProvider time) : INotificationHandler<AnalysisCompleted>
{
    public ValueTask Handle(AnalysisCompleted notification, CancellationToken cancellationToken)
    {
        writer.Enqueue(VectorOf(notification.Analysis, time.GetUtcNow()));
        return ValueTask.CompletedTask;
    }

    /// <summary>The stored vector of an analysis (schema <see cref="FeatureSchema.Version"/>).</summary>
    public static FeatureVectorRecord VectorOf(Analysis analysis, DateTimeOffset createdAt) => new()
    {
        Symbol = analysis.Symbol,
        AsOf = analysis.AsOf,
        SchemaVersion = FeatureSchema.Version,
        Values = FeatureSchema.From(analysis),
        Regime = analysis.Regime?.Regime.ToString(),
        CreatedAt = createdAt,
    };
}
