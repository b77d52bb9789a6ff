using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Options;

namespace HuiHui.Host.Hosting;

/// <summary>
/// Applies migrations at start when <c>HuiHui:Database:MigrateOnStartup</c> says so (default: in Development).
/// A database that is down does not stop the host: it keeps retrying with back-off, and readiness says why meanwhile.
/// Registered before the Hangfire server so the first attempt precedes it.
/// </summary>
internal sealed partial class StartupMigrator(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<StartupMigrator> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!(options.Value.MigrateOnStartup ?? environment.IsDevelopment()))
        {
            LogDisabled(logger);
            return;
        }

        // First attempt inline, so a healthy database is migrated before anything else starts.
        try
        {
            await MigrateAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRetrying(logger, exception.GetBaseException().Message);
            await base.StartAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(StartupRetry.FirstDelay, time, stoppingToken);
        await StartupRetry.Pipeline(time, (error, _) => LogRetrying(logger, error.GetBaseException().Message)).ExecuteAsync(MigrateAsync, stoppingToken);
    }

    private async ValueTask MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new MigrateDatabases(), cancellationToken);
        LogMigrated(logger, report.AppliedCount);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrations on startup are off (HuiHui:Database:MigrateOnStartup); run `huihui migrate`.")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schemas up to date ({Applied} migration(s) applied at start).")]
    private static partial void LogMigrated(ILogger logger, int applied);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot migrate yet, will retry: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string reason);
}
