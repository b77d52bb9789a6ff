using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Cluster.Data;
using HuiHui.Modules.Cluster.Leases;
using HuiHui.Modules.Cluster.Redis;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HuiHui.Modules.Cluster;

/// <summary>
/// Several nodes as one system (docs/architecture.md, "Several nodes"): nodes and symbol leases in the <c>cluster</c>
/// schema, and — with <c>ConnectionStrings:Redis</c> — the nodes' caches kept in step over Redis pub/sub (the host adds the
/// SignalR backplane on the same Redis). Without <c>HuiHui:Cluster:Enabled</c> a node holds every symbol, as before.
/// </summary>
public static class ClusterModule
{
    /// <summary>The module in one place (services, jobs, flush), for the host to compose.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("Cluster", (services, configuration) => services.AddCluster(configuration));

    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<ClusterDbContext>("cluster", ClusterDbContext.Schema);
        services.AddOptions<ClusterOptions>().Bind(configuration.GetSection(ClusterOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.MinimumLease >= TimeSpan.FromMilliseconds(500), "HuiHui:Cluster:MinimumLease must be at least 500 ms")
            .ValidateOnStart();
        services.AddSingleton<ClusterAlerts>();
        services.AddSingleton<HeldLeases>();
        services.AddSingleton<IWatchListSource, IngestionWatchList>();
        services.AddSingleton<LeaseKeeper>();
        services.AddSingleton<RedisConnection>();

        var options = configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        if (options.Enabled)
        {
            services.Replace(ServiceDescriptor.Singleton<ISymbolLeases>(provider => provider.GetRequiredService<HeldLeases>()));
            services.AddHostedService(provider => provider.GetRequiredService<LeaseKeeper>());
        }

        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString(RedisConnection.ConnectionStringName)))
        {
            services.AddHostedService<RedisWatch>();
            services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
            if (options.Enabled)
            {
                services.AddSingleton<CacheOutbox>();
                services.AddSingleton<ICacheWriteListener>(provider => provider.GetRequiredService<CacheOutbox>());
                services.AddSingleton<CacheReplication>();
                services.AddHostedService(provider => provider.GetRequiredService<CacheReplication>());
            }
        }

        return services;
    }
}
