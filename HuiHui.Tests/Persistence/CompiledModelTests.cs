using HuiHui.Modules.Cluster.Data;
using HuiHui.Modules.Education.Data;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Ingestion.Data;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Monitoring.Data;
using HuiHui.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Persistence;

/// <summary>
/// Each module context runs on its compiled model (<c>Data/CompiledModel</c>, from <c>dotnet ef dbcontext optimize</c>: a
/// process's first query skips building the model), and that model is the one the code describes: an entity or mapping
/// changed without regenerating it fails here (docs/architecture.md, "Persistence").
/// </summary>
[TestFixture]
public sealed class CompiledModelTests
{
    private static readonly Type[] Contexts =
        [typeof(IngestionDbContext), typeof(ExpertsDbContext), typeof(EducationDbContext), typeof(LearningDbContext), typeof(MonitoringDbContext), typeof(ClusterDbContext)];

    [TestCaseSource(nameof(Contexts))]
    public async Task TheContextUsesItsCompiledModel_AndItMatchesTheModelBuiltFromTheCode(Type contextType)
    {
        await using var services = ModuleServices.Build(new Dictionary<string, string?>());
        await using var scope = services.Provider.CreateAsyncScope();
        var context = (DbContext)scope.ServiceProvider.GetRequiredService(contextType);

        Assert.That(context.Model.GetType().Name, Is.EqualTo(contextType.Name + "Model"), "the compiled model, not one built at run time");
        var built = context.GetService<IDesignTimeModel>().Model;
        Assert.That(Describe(context.Model), Is.EqualTo(Describe(built)),
            $"{contextType.Name}'s compiled model is stale: regenerate it with `dotnet ef dbcontext optimize` (docs/architecture.md, \"Persistence\")");
    }

    /// <summary>What the compiled model keeps that queries and writes depend on: tables, columns, types, nullability, keys.</summary>
    private static List<string> Describe(IModel model) =>
        [.. model.GetEntityTypes().SelectMany(e => e.GetProperties().Select(p =>
                $"{e.Name} → {e.GetSchema()}.{e.GetTableName()}.{p.GetColumnName()}: {p.ClrType.Name}{(p.IsNullable ? "?" : "")} max {p.GetMaxLength()}{(p.IsPrimaryKey() ? " key" : "")}"))
            .Order(StringComparer.Ordinal)];
}
