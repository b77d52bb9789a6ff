using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HuiHui.Modules.Shared.Health;

/// <summary>Ready when PostgreSQL answers <c>SELECT 1</c> within the configured timeout.</summary>
internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.HealthCheckTimeout);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            var reason = exception is OperationCanceledException ? $"no answer within {options.Value.HealthCheckTimeout.TotalSeconds:0.#} s" : exception.Message;
            return HealthCheckResult.Unhealthy($"PostgreSQL is unreachable: {reason}", exception);
        }
    }
}
