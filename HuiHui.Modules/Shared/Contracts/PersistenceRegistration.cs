using HuiHui.Modules.Shared.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HuiHui.Modules.Shared.Contracts;

public static class PersistenceRegistration
{
    /// <summary>
    /// Registers a module's <typeparamref name="TContext"/> on the shared <see cref="NpgsqlDataSource"/>,
    /// with lower-case snake_case names and its migrations history pinned in its own schema,
    /// and adds it to the databases that <see cref="MigrateDatabases"/> applies. Contexts are pooled: a scope rents one and
    /// gives it back reset, so the live cycle (an idea tracked per symbol per second) does not build a context, its options
    /// and EF's internal scope each time. A context must therefore keep no state of its own beyond what EF resets.
    /// </summary>
    public static IServiceCollection AddModuleDbContext<TContext>(this IServiceCollection services, string module, params string[] schemas)
        where TContext : DbContext
    {
        ArgumentOutOfRangeException.ThrowIfZero(schemas.Length);
        services.AddDbContextPool<TContext>((provider, options) => ConfigureNpgsql(options, provider.GetRequiredService<NpgsqlDataSource>(), schemas[0]));
        services.AddSingleton<IModuleDatabase>(provider =>
            new EfModuleDatabase<TContext>(provider.GetRequiredService<IServiceScopeFactory>(), module, schemas));
        return services;
    }

    /// <summary>The one place a module context's provider options are decided (runtime and design time).</summary>
    public static DbContextOptionsBuilder ConfigureNpgsql(DbContextOptionsBuilder options, NpgsqlDataSource dataSource, string historySchema) =>
        options
            .UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__EFMigrationsHistory", historySchema))
            .UseSnakeCaseNamingConvention();

    /// <summary>Options for design-time factories (<c>dotnet ef migrations add</c>); never connects.</summary>
    public static DbContextOptions<TContext> DesignTimeOptions<TContext>(string historySchema)
        where TContext : DbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        var dataSource = NpgsqlDataSource.Create("Host=localhost;Database=huihui_design_time");
        ConfigureNpgsql(builder, dataSource, historySchema);
        return builder.Options;
    }
}
