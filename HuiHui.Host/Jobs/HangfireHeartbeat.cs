using Hangfire;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;

namespace HuiHui.Host.Jobs;

/// <summary>Once a minute, a heartbeat for the Hangfire server when Hangfire's own server heartbeat is recent.</summary>
internal sealed partial class HangfireHeartbeat(JobStorage storage, IServiceScopeFactory scopes, TimeProvider time, ILogger<HangfireHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        do
        {
            try
            {
                var now = time.GetUtcNow().UtcDateTime;
                var alive = storage.GetMonitoringApi().Servers().Any(s => s.Heartbeat is { } beat && now - beat < TimeSpan.FromMinutes(2));
                if (alive)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RecordHeartbeat(Components.HangfireServer), stoppingToken);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogFailed(logger, error.GetBaseException().Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the Hangfire server: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
