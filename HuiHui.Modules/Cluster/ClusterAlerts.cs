using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Cluster;

/// <summary>
/// The cluster's alerts (source <c>cluster</c>): <c>leases-unconfirmed</c>, <c>redis-down</c>. Sending never throws: an
/// alert that cannot be recorded (the database is what is down) is logged and reported as not sent.
/// </summary>
internal sealed partial class ClusterAlerts(IServiceScopeFactory scopes, ILogger<ClusterAlerts> logger)
{
    public const string Source = "cluster";

    public Task<bool> RaiseAsync(string code, AlertSeverity severity, string message, CancellationToken cancellationToken) =>
        SendAsync(new RaiseAlert(Source, code, severity, message), cancellationToken);

    public Task<bool> ResolveAsync(string code, CancellationToken cancellationToken) => SendAsync(new ResolveAlert(Source, code), cancellationToken);

    private async Task<bool> SendAsync(ICommand command, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, cancellationToken);
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogAlertFailed(logger, error, command.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record a cluster alert ({Command})")]
    private static partial void LogAlertFailed(ILogger logger, Exception exception, string command);
}
