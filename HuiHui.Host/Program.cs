using HuiHui.Host.Cli;
using HuiHui.Host.Identity;
using HuiHui.Host.Jobs;
using HuiHui.Modules.Cache;
using HuiHui.Modules.Education;
using HuiHui.Modules.Experts;
using HuiHui.Modules.Ingestion;
using HuiHui.Modules.Learning;
using HuiHui.Modules.Monitoring;
using HuiHui.Modules.Shared;
using HuiHui.Modules.Shared.Contracts;

// Verbs are dispatched before any web host is built: `huihui migrate` never binds a port.
return await HuiHuiCli.RunAsync(args);

public partial class Program
{
    /// <summary>The modules, by name. The web host and every CLI verb compose this same set.</summary>
    internal static IServiceCollection AddHuiHuiModules(IServiceCollection services, IConfiguration configuration) =>
        services
            .AddShared(configuration)
            .AddMonitoring(configuration)
            .AddCache(configuration)
            .AddIngestion(configuration)
            .AddExperts(configuration)
            .AddLearning(configuration)
            .AddEducation(configuration);

    /// <summary>The host's own schemas: Identity and Hangfire. Migrated with the modules'.</summary>
    internal static IServiceCollection AddHostDatabases(IServiceCollection services) =>
        services
            .AddModuleDbContext<HuiHuiIdentityDbContext>("identity", HuiHuiIdentityDbContext.Schema)
            .AddSingleton<IModuleDatabase, HangfireDatabase>();
}
