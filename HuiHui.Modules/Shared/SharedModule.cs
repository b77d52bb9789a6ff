using FluentValidation;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Health;
using HuiHui.Modules.Shared.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace HuiHui.Modules.Shared;

/// <summary>The kernel every module stands on: PostgreSQL, the mediator and its pipeline, validation, the clock, health checks.</summary>
public static class SharedModule
{
    /// <summary>The module in one place (services, jobs, flush), for the host to compose.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("Shared", (services, configuration) => services.AddShared(configuration));

    public const string ConnectionStringName = "Postgres";

    public static IServiceCollection AddShared(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Persistence.SpoolOptions>().Bind(configuration.GetSection(Persistence.SpoolOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<RetentionOptions>, Persistence.RetentionOptionsValidator>();

        // Resolved lazily so a wrong or missing connection string degrades health instead of preventing start.
        services.TryAddSingleton(_ =>
        {
            var connectionString = configuration.GetConnectionString(ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new Contracts.MissingConnectionStringException(ConnectionStringName,
                    $"Set the ConnectionStrings__{ConnectionStringName} environment variable, or start HuiHui with ./huihui.sh, which provides a local PostgreSQL.");
            }

            // The pool size: the connection string's when it names one, else HuiHui:Database:MaxPoolSize.
            var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "huihui" };
            var named = connectionString.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase)
                || connectionString.Contains("Max Pool Size", StringComparison.OrdinalIgnoreCase)
                || connectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase);
            if (!named)
            {
                builder.ConnectionStringBuilder.MaxPoolSize = configuration.GetSection(DatabaseOptions.Section).GetValue(nameof(DatabaseOptions.MaxPoolSize), 20);
            }

            return builder.Build();
        });

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISymbolLeases, SingleNodeLeases>();
        services.TryAddSingleton<Hosting.LiveStart>();

        // The one AddMediator call: the source generator only sees handlers in this assembly.
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>)];
            options.StreamPipelineBehaviors = [typeof(StreamValidationBehavior<,>)];
        });
        services.AddValidatorsFrom(typeof(SharedModule).Assembly);

        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: ["ready"]);

        return services;
    }
}
