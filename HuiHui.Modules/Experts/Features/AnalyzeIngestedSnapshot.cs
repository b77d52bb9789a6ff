using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts.Features;

/// <summary>
/// The per-cycle run: every ingested snapshot is handed to the <see cref="AnalysisQueue"/> (unless
/// <c>HuiHui:Experts:AnalyzeEveryCycle</c> is off); the fetch never waits for the analysis.
/// </summary>
internal sealed class AnalyzeIngestedSnapshot(AnalysisQueue queue, IOptions<ExpertsOptions> options) : INotificationHandler<SnapshotIngested>
{
    public ValueTask Handle(SnapshotIngested notification, CancellationToken cancellationToken)
    {
        if (options.Value.AnalyzeEveryCycle && !notification.OnDemand)
        {
            queue.Offer(notification.Snapshot);
        }

        return ValueTask.CompletedTask;
    }
}
