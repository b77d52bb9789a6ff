using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Cache.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Cache;

/// <summary>The Enhanced Cache Manager: tiered TTLs, memory LRU over a disk level. It owns no database schema.</summary>
public static class CacheModule
{
    /// <summary>The module in one place (services, jobs, flush), for the host to compose.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("Cache", (services, configuration) => services.AddCache(configuration), Prime: Disk.SqliteDiskStore.Prime);

    public static IServiceCollection AddCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CacheOptions>()
            .Bind(configuration.GetSection(CacheOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.RawTtl > TimeSpan.Zero && o.EnrichedTtl > TimeSpan.Zero && o.ExpertResponseTtl > TimeSpan.Zero, "HuiHui:Cache tier TTLs must be positive")
            .Validate(o => o.StaleWindow >= TimeSpan.Zero, "HuiHui:Cache:StaleWindow must not be negative")
            .Validate(o => o.FactoryTimeout > TimeSpan.Zero, "HuiHui:Cache:FactoryTimeout must be positive")
            .ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton<CacheAlerts>();
        services.AddSingleton<EnhancedCache>();
        services.AddSingleton<IEnhancedCache>(provider => provider.GetRequiredService<EnhancedCache>());
        services.AddSingleton<ICacheReplica>(provider => provider.GetRequiredService<EnhancedCache>());
        return services;
    }
}
