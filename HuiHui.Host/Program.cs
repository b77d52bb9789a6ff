using HuiHui.Host.Cli;
using HuiHui.Host.Identity;
using HuiHui.Host.Jobs;
using HuiHui.Modules.Cache;
using HuiHui.Modules.Cluster;
using HuiHui.Modules.Education;
using HuiHui.Modules.Experts;
using HuiHui.Modules.Ingestion;
using HuiHui.Modules.Learning;
using HuiHui.Modules.Monitoring;
using HuiHui.Modules.Shared;
using HuiHui.Modules.Shared.Contracts;

HuiHui.Host.Hosting.ProcessFigures.MarkStarted();

// Verbs are dispatched before any web host is built: `huihui migrate` never binds a port.
return await HuiHuiCli.RunAsync(args);

public partial class Program
{
    /// <summary>The modules, in the order of the layers; the web host, every CLI verb and the job scheduler compose this same list.</summary>
    internal static readonly IReadOnlyList<ModuleDescriptor> Modules =
    [
        SharedModule.Descriptor,
        CacheModule.Descriptor,
        IngestionModule.Descriptor,
        EducationModule.Descriptor,
        ClusterModule.Descriptor,
        ExpertsModule.Descriptor,
        LearningModule.Descriptor,
        MonitoringModule.Descriptor,
    ];

    /// <summary>Every module's services.</summary>
    internal static IServiceCollection AddHuiHuiModules(IServiceCollection services, IConfiguration configuration)
    {
        foreach (var module in Modules)
        {
            module.AddServices(services, configuration);
        }

        return services;
    }

    /// <summary>The host's own schemas: Identity and Hangfire. Migrated with the modules'.</summary>
    internal static IServiceCollection AddHostDatabases(IServiceCollection services) =>
        services
            .AddModuleDbContext<HuiHuiIdentityDbContext>("identity", HuiHuiIdentityDbContext.Schema)
            .AddSingleton<IModuleDatabase, HangfireDatabase>();
}
