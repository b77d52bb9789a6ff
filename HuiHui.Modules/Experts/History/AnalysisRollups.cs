using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Shared.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Experts.History;

/// <summary>
/// Keeps the analysis rollups current, in snapshot time (a replay or the accelerated simulator runs ahead of the wall
/// clock): each minute, the hours from the last one rolled up to the newest stored snapshot; at start from the newest stored
/// rollup (at most two days before the newest snapshot).
/// </summary>
internal sealed class AnalysisRollupWriter(IServiceScopeFactory scopes, TimeProvider time, ILogger<AnalysisRollupWriter> logger) : EveryMinute(scopes, time, logger)
{
    private DateTimeOffset? done;

    protected override string What => "roll up the hourly analyses";

    protected override async Task RunOnceAsync(IServiceProvider services, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<ExpertsDbContext>();
        var newest = await db.ExpertResponses.OrderByDescending(r => r.AsOf).Select(r => (DateTimeOffset?)r.AsOf).FirstOrDefaultAsync(cancellationToken);
        if (newest is not { } latest)
        {
            return;
        }

        if (done is null)
        {
            var stored = await db.AnalysisHours.MaxAsync(h => (DateTimeOffset?)h.Hour, cancellationToken);
            done = stored is { } s && s > latest.AddDays(-2) ? s : latest.AddDays(-2);
        }

        var from = done.Value < latest.AddHours(-1) ? done.Value : latest.AddHours(-1);
        await services.GetRequiredService<IMediator>().Send(new RollUpAnalysisHours(from, latest), cancellationToken);
        done = latest;
    }
}
