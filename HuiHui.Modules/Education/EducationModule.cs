using Hangfire;
using HuiHui.Modules.Education.Data;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Education;

/// <summary>Document corpus, chunking, embeddings and hybrid retrieval in <c>education</c>.</summary>
public static class EducationModule
{
    /// <summary>The module in one place (services, jobs, flush), for the host to compose.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("Education", (services, configuration) => services.AddEducation(configuration), ScheduleJobs);

    public static IServiceCollection AddEducation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<EducationDbContext>("education", EducationDbContext.Schema);
        services.AddOptions<EducationOptions>().Bind(configuration.GetSection(EducationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Search.VectorIndex>();
        services.AddHostedService<Features.StarterCorpus>();
        services.AddSingleton<Embeddings.EmbeddingModel>();
        services.AddSingleton<Features.IngestProgress>();
        services.AddHostedService<Embeddings.EmbeddingWarmup>();
        return services;
    }

    /// <summary>The module's recurring jobs: corpus ingestion nightly at 01:45 UTC (admins can trigger it any time).</summary>
    public static void ScheduleJobs(IRecurringJobManager jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.AddOrUpdate<Jobs.EducationJobs>(Jobs.EducationJobs.IngestCorpusId, j => j.IngestCorpusAsync(CancellationToken.None), Cron.Daily(1, 45));
    }
}
