using System.ComponentModel.DataAnnotations;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Monitoring.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Monitoring.Features;

/// <summary><c>HuiHui:Monitoring:Retention</c>: days kept per kind of data (0 keeps everything).</summary>
internal sealed class RetentionOptions
{
    public const string Section = "HuiHui:Monitoring:Retention";

    /// <summary>Option quotes, intraday bars and headlines in <c>market_data</c> (daily bars are always kept).</summary>
    [Range(0, 36500)]
    public int RawArchiveDays { get; set; } = 90;

    /// <summary><c>usage_stats</c> rows and <c>uptime_logs</c>.</summary>
    [Range(0, 36500)]
    public int StatsDays { get; set; } = 30;

    /// <summary>Resolved alerts (open ones are never deleted).</summary>
    [Range(0, 36500)]
    public int ResolvedAlertsDays { get; set; } = 90;
}

/// <summary>
/// Deletes what is older than its window: this module's stats, heartbeats and resolved alerts itself, the raw archive
/// through Ingestion's <see cref="PruneArchive"/> (it owns those tables).
/// </summary>
internal sealed class ApplyRetentionHandler(MonitoringDbContext db, IMediator mediator, IOptions<RetentionOptions> options, TimeProvider time) : ICommandHandler<ApplyRetention, RetentionReport>
{
    public async ValueTask<RetentionReport> Handle(ApplyRetention command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var deleted = new Dictionary<string, int>(StringComparer.Ordinal);
        if (settings.StatsDays > 0)
        {
            var before = now.AddDays(-settings.StatsDays);
            deleted["usage_stats.orchestrator_stats"] = await db.OrchestratorStats.Where(s => s.OccurredAt < before).ExecuteDeleteAsync(cancellationToken);
            deleted["usage_stats.huihui_usage"] = await db.Usage.Where(u => u.OccurredAt < before).ExecuteDeleteAsync(cancellationToken);
            deleted["system_health.uptime_logs"] = await db.UptimeLogs.Where(h => h.HeartbeatAt < before).ExecuteDeleteAsync(cancellationToken);
        }

        if (settings.ResolvedAlertsDays > 0)
        {
            var before = now.AddDays(-settings.ResolvedAlertsDays);
            deleted["system_health.alerts (resolved)"] = await db.Alerts.Where(a => a.ResolvedAt != null && a.ResolvedAt < before).ExecuteDeleteAsync(cancellationToken);
        }

        if (settings.RawArchiveDays > 0)
        {
            var report = await mediator.Send(new PruneArchive(now.AddDays(-settings.RawArchiveDays)), cancellationToken);
            foreach (var (table, rows) in report.RowsDeleted)
            {
                deleted[table] = rows;
            }
        }

        return new RetentionReport(deleted);
    }
}
