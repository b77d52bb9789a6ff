using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetAlertSubscriptionsHandler(ExpertsDbContext db) : IQueryHandler<GetAlertSubscriptions, IReadOnlyList<AlertSubscription>>
{
    public async ValueTask<IReadOnlyList<AlertSubscription>> Handle(GetAlertSubscriptions query, CancellationToken cancellationToken) =>
        await db.AlertSubscriptions.AsNoTracking().Where(s => s.UserId == query.UserId).OrderBy(s => s.Symbol).ThenBy(s => s.Kind)
            .Select(s => new AlertSubscription(s.Symbol, s.Kind)).ToListAsync(cancellationToken);
}
