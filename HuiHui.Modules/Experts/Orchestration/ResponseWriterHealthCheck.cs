using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>Degraded while expert responses go to the local spool because PostgreSQL is unreachable.</summary>
internal sealed class ResponseWriterHealthCheck(ResponseWriter writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(writer.DatabaseDown
            ? HealthCheckResult.Degraded($"PostgreSQL unreachable: {writer.SpoolBytes:N0} bytes of responses spooled, {writer.Queued} queued")
            : HealthCheckResult.Healthy($"{writer.Written} response(s) written, {writer.Queued} queued"));
}
