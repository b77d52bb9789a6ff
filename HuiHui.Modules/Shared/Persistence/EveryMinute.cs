using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Shared.Persistence;

/// <summary>
/// A background step run at start and then every minute on the injected clock, each time in its own scope. A failure
/// (PostgreSQL down) is logged and the next minute tries again; the step keeps its own progress between runs.
/// </summary>
internal abstract partial class EveryMinute(IServiceScopeFactory scopes, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>What the step does, for the log (e.g. "roll up the hourly stats").</summary>
    protected abstract string What { get; }

    protected abstract Task RunOnceAsync(IServiceProvider services, DateTimeOffset now, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await RunOnceAsync(scope.ServiceProvider, time.GetUtcNow(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                LogFailed(logger, What, error.GetBaseException().Message);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not {What}, will retry in a minute: {Reason}")]
    private static partial void LogFailed(ILogger logger, string what, string reason);
}
