using Hangfire;
using HuiHui.Host.Hosting;

namespace HuiHui.Host.Jobs;

/// <summary>
/// Registers every module's recurring jobs once Hangfire's storage answers (the database may still be starting or
/// migrating): retries with back-off, never stops the host.
/// </summary>
internal sealed partial class RecurringJobsScheduler(IServiceProvider services, TimeProvider time, ILogger<RecurringJobsScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await StartupRetry.Pipeline(time, (error, _) => LogRetrying(logger, error.GetBaseException().Message)).ExecuteAsync(
            _ =>
            {
                var jobs = services.GetRequiredService<IRecurringJobManager>();
                foreach (var module in Program.Modules)
                {
                    module.ScheduleJobs?.Invoke(jobs);
                }

                return ValueTask.CompletedTask;
            },
            stoppingToken);
        LogScheduled(logger);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recurring jobs scheduled.")]
    private static partial void LogScheduled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot schedule recurring jobs yet, will retry: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string reason);
}
