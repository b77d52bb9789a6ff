using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Monitoring.Features;

/// <summary>
/// Runs the partition upkeep (Shared: every module's time series, each dropped by whole day partitions), then deletes this
/// module's resolved alerts. Headlines are Ingestion's to prune (its own daily job).
/// </summary>
internal sealed class ApplyRetentionHandler(MonitoringDbContext db, IMediator mediator, IOptions<AlertRetentionOptions> options, TimeProvider time) : ICommandHandler<ApplyRetention, RetentionReport>
{
    public async ValueTask<RetentionReport> Handle(ApplyRetention command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var partitions = await mediator.Send(new MaintainPartitions(), cancellationToken);
        var deleted = new Dictionary<string, int>(StringComparer.Ordinal);
        if (settings.ResolvedAlertsDays > 0)
        {
            var before = now.AddDays(-settings.ResolvedAlertsDays);
            deleted["system_health.alerts (resolved)"] = await db.Alerts.Where(a => a.ResolvedAt != null && a.ResolvedAt < before).ExecuteDeleteAsync(cancellationToken);
        }

        return new RetentionReport(partitions, deleted);
    }
}
