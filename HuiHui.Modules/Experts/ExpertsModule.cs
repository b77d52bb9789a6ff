using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Experts;

/// <summary>Metrics calculator, the three experts and the Meta-Orchestrator; archive in <c>moe_analysis</c>.</summary>
public static class ExpertsModule
{
    public static IServiceCollection AddExperts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<ExpertsDbContext>("experts", ExpertsDbContext.Schema);
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MetricsCalculator>();
        return services;
    }
}
