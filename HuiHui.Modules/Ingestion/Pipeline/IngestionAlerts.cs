using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Ingestion.Pipeline;

/// <summary>
/// Raises or resolves one of Ingestion's alerts (source <c>ingestion</c>): a provider down, the market stream down. Callers
/// decide when the state changed; a failure to record the alert (the database down) is logged and never breaks the caller.
/// </summary>
internal sealed partial class IngestionAlerts(IServiceScopeFactory scopes, ILogger<IngestionAlerts> logger)
{
    public const string Source = "ingestion";

    /// <summary>Raises <paramref name="code"/> with <paramref name="problem"/>, or resolves it when <paramref name="problem"/> is null.</summary>
    public async Task<bool> SetAsync(string code, string? problem, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            if (problem is null)
            {
                await mediator.Send(new ResolveAlert(Source, code), cancellationToken);
            }
            else
            {
                await mediator.Send(new RaiseAlert(Source, code, AlertSeverity.Warning, problem), cancellationToken);
            }

            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogAlertFailed(logger, error, code);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the alert {Code}")]
    private static partial void LogAlertFailed(ILogger logger, Exception exception, string code);
}
