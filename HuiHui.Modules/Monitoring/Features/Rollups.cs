using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Monitoring.Features;

/// <summary>
/// Keeps the stored rollups current: at start from the last stored hour (at most two days back), then every minute the
/// open hour and the one before it (so an hour is final a minute after it closes); after a failure, from where the last
/// success left off.
/// </summary>
internal sealed class RollupWriter(IServiceScopeFactory scopes, TimeProvider time, ILogger<RollupWriter> logger) : EveryMinute(scopes, time, logger)
{
    private DateTimeOffset? done;

    protected override string What => "roll up the hourly stats";

    protected override async Task RunOnceAsync(IServiceProvider services, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (done is null)
        {
            var last = await services.GetRequiredService<MonitoringDbContext>().StageHours.MaxAsync(h => (DateTimeOffset?)h.Hour, cancellationToken);
            done = last is { } l && l > now.AddDays(-2) ? l : now.AddDays(-2);
        }

        var from = done.Value < now.AddHours(-1) ? done.Value : now.AddHours(-1);
        await services.GetRequiredService<IMediator>().Send(new RollUpHours(from, now), cancellationToken);
        done = now;
    }
}
