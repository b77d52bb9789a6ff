using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Monitoring;

/// <summary>Usage and latency stats, alerts and heartbeats in <c>usage_stats</c> and <c>system_health</c>.</summary>
public static class MonitoringModule
{
    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<MonitoringDbContext>("monitoring", MonitoringDbContext.UsageSchema, MonitoringDbContext.HealthSchema);
        services.AddSingleton<Features.HeartbeatRegistry>();
        services.AddSingleton<Features.UptimeWriter>();
        services.AddHostedService(p => p.GetRequiredService<Features.UptimeWriter>());
        services.AddOptions<Compliance.ComplianceOptions>().Bind(configuration.GetSection(Compliance.ComplianceOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.Interval > TimeSpan.Zero && o.Window > TimeSpan.Zero && o.HeartbeatTimeout > TimeSpan.Zero, "HuiHui:Monitoring:Compliance intervals must be positive")
            .ValidateOnStart();
        services.AddSingleton<Compliance.ComplianceTracker>();
        services.AddHostedService(p => p.GetRequiredService<Compliance.ComplianceTracker>());
        services.AddSingleton<Features.StatsWriter>();
        services.AddHostedService(p => p.GetRequiredService<Features.StatsWriter>());
        return services;
    }
}
