using HuiHui.Modules.Monitoring.Jobs;
using Hangfire;
using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Monitoring;

/// <summary>Usage and latency stats, alerts and heartbeats in <c>usage_stats</c> and <c>system_health</c>.</summary>
public static class MonitoringModule
{
    /// <summary>The module in one place (services, jobs, flush), for the host to compose.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("Monitoring", (services, configuration) => services.AddMonitoring(configuration), ScheduleJobs);

    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<MonitoringDbContext>("monitoring", MonitoringDbContext.UsageSchema, MonitoringDbContext.HealthSchema);
        services.AddTimeSeriesTable(MonitoringDbContext.StageLatencies).AddTimeSeriesTable(MonitoringDbContext.Usage).AddTimeSeriesTable(MonitoringDbContext.Heartbeats);
        services.AddSingleton<Features.HeartbeatRegistry>();
        services.AddSingleton<Features.UptimeWriter>();
        services.AddHostedService(p => p.GetRequiredService<Features.UptimeWriter>());
        services.AddOptions<Compliance.ComplianceOptions>().Bind(configuration.GetSection(Compliance.ComplianceOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.Interval > TimeSpan.Zero && o.Window > TimeSpan.Zero && o.HeartbeatTimeout > TimeSpan.Zero, "HuiHui:Monitoring:Compliance intervals must be positive")
            .ValidateOnStart();
        services.AddSingleton<Compliance.ComplianceTracker>();
        services.AddHostedService(p => p.GetRequiredService<Compliance.ComplianceTracker>());
        services.AddOptions<Features.AlertRetentionOptions>().Bind(configuration.GetSection(Features.AlertRetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<Features.RollupWriter>();
        services.AddSingleton<Features.StatsWriter>();
        services.AddHostedService(p => p.GetRequiredService<Features.StatsWriter>());
        services.AddSingleton<Shared.Persistence.IWriterStatusSource>(p => p.GetRequiredService<Features.StatsWriter>());
        return services;
    }

    /// <summary>The module's recurring jobs: retention (partition upkeep included) hourly at :15. Called by the host once Hangfire is up.</summary>
    public static void ScheduleJobs(IRecurringJobManager jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.AddOrUpdate<MonitoringJobs>(MonitoringJobs.RetentionId, j => j.RetentionAsync(CancellationToken.None), Cron.Hourly(15));
    }
}
