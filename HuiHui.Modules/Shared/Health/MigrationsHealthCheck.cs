using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace HuiHui.Modules.Shared.Health;

/// <summary>Ready when every module's schema is up to date; lists the modules that are not.</summary>
internal sealed class MigrationsHealthCheck(IEnumerable<IModuleDatabase> databases) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var behind = new List<string>();
        try
        {
            foreach (var database in databases)
            {
                var pending = await database.GetPendingMigrationsAsync(cancellationToken);
                if (pending.Count > 0)
                {
                    behind.Add($"{database.Module} ({pending.Count} pending)");
                }
            }
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Migration state unknown: PostgreSQL is unreachable.", exception);
        }

        return behind.Count == 0
            ? HealthCheckResult.Healthy("All module schemas are up to date.")
            : HealthCheckResult.Unhealthy($"Schemas behind: {string.Join(", ", behind)}. Run `./huihui.sh migrate`.");
    }
}
