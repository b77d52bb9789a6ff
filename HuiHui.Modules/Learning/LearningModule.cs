using HuiHui.Modules.Learning.Jobs;
using Hangfire;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Learning;

/// <summary>Feature store, outcome labels, retraining and checkpoints in <c>training</c>.</summary>
public static class LearningModule
{
    /// <summary>The module in one place (services, jobs, flush), for the host to compose.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("Learning", (services, configuration) => services.AddLearning(configuration), ScheduleJobs);

    public static IServiceCollection AddLearning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<LearningDbContext>("learning", LearningDbContext.Schema);
        services.AddTimeSeriesTable(LearningDbContext.Features);
        services.AddSingleton<Features.FeatureWriter>();
        services.AddHostedService(p => p.GetRequiredService<Features.FeatureWriter>());
        services.AddSingleton<Shared.Persistence.IWriterStatusSource>(p => p.GetRequiredService<Features.FeatureWriter>());
        services.AddSingleton<Models.SentimentModelHost>();
        services.AddSingleton<Models.MetaModelHost>();
        services.AddHostedService<Models.ModelWarmup>();
        services.AddSingleton<Features.FirstRunProgress>();
        services.AddHostedService<Features.FirstRunFiller>();
        return services;
    }

    /// <summary>The module's recurring jobs: outcome labels hourly at :10, retraining nightly at 02:30 UTC. Called by the host once Hangfire is up.</summary>
    public static void ScheduleJobs(IRecurringJobManager jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.AddOrUpdate<LearningJobs>(LearningJobs.LabelsId, j => j.LabelsAsync(CancellationToken.None), Cron.Hourly(10));
        jobs.AddOrUpdate<LearningJobs>(LearningJobs.RetrainId, j => j.RetrainAsync(CancellationToken.None), Cron.Daily(2, 30));
    }
}
