using HuiHui.Modules.Ingestion.Data;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Ingestion;

/// <summary>Providers → validated snapshots in the cache and the <c>market_data</c> archive.</summary>
public static class IngestionModule
{
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<IngestionDbContext>("ingestion", IngestionDbContext.Schema);
        return services;
    }
}
