using HuiHui.Modules.Education.Data;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Education;

/// <summary>Document corpus, chunking, embeddings and hybrid retrieval in <c>education</c>.</summary>
public static class EducationModule
{
    public static IServiceCollection AddEducation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<EducationDbContext>("education", EducationDbContext.Schema);
        return services;
    }
}
