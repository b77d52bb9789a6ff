using FluentValidation;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Monitoring.Features;

internal sealed class GetRecentAlertsValidator : AbstractValidator<GetRecentAlerts>
{
    public GetRecentAlertsValidator() => RuleFor(q => q.Count).InclusiveBetween(1, 500);
}

internal sealed class GetRecentAlertsHandler(MonitoringDbContext db) : IQueryHandler<GetRecentAlerts, IReadOnlyList<AlertInfo>>
{
    public async ValueTask<IReadOnlyList<AlertInfo>> Handle(GetRecentAlerts query, CancellationToken cancellationToken) =>
        await db.Alerts.AsNoTracking()
            .OrderBy(a => a.ResolvedAt != null)
            // Severity is stored by name: rank it explicitly (a cast would compare the text).
            .ThenByDescending(a => a.ResolvedAt != null ? 0 : a.Severity == AlertSeverity.Critical ? 3 : a.Severity == AlertSeverity.Warning ? 2 : 1)
            .ThenByDescending(a => a.ResolvedAt ?? a.LastSeen)
            .Take(query.Count)
            .Select(a => new AlertInfo(a.Id, a.Severity, a.Source, a.Code, a.Message, a.FirstSeen, a.LastSeen, a.Count, a.ResolvedAt))
            .ToListAsync(cancellationToken);
}
