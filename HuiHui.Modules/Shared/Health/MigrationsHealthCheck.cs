using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HuiHui.Modules.Shared.Health;

/// <summary>Ready when every module's schema is up to date; lists the modules that are not.</summary>
internal sealed class MigrationsHealthCheck(IMediator mediator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = await mediator.Send(new GetDatabaseStatus(), cancellationToken);
        if (!status.Reachable)
        {
            return HealthCheckResult.Unhealthy($"Migration state unknown: PostgreSQL is unreachable ({status.Problem}).");
        }

        return status.Behind.Count == 0
            ? HealthCheckResult.Healthy("All module schemas are up to date.")
            : HealthCheckResult.Unhealthy(
                $"Schemas behind: {string.Join(", ", status.Behind.Select(m => $"{m.Module} ({m.Migrations.Count} pending)"))}. Run `./huihui.sh migrate`.");
    }
}
