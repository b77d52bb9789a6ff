using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Monitoring.Features;

internal sealed class ResolveAlertHandler(MonitoringDbContext db, TimeProvider time) : ICommandHandler<ResolveAlert>
{
    public async ValueTask<Unit> Handle(ResolveAlert command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.Alerts
            .Where(a => a.Source == command.Source && a.Code == command.Code && a.ResolvedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.ResolvedAt, now), cancellationToken);
        return Unit.Value;
    }
}
