using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetAlertSubscribersHandler(ExpertsDbContext db) : IQueryHandler<GetAlertSubscribers, IReadOnlyList<string>>
{
    public async ValueTask<IReadOnlyList<string>> Handle(GetAlertSubscribers query, CancellationToken cancellationToken)
    {
        var symbol = query.Symbol.ToUpperInvariant();
        return await db.AlertSubscriptions.AsNoTracking().Where(s => (s.Symbol == symbol || s.Symbol == "*") && s.Kind == query.Kind)
            .Select(s => s.UserId).Distinct().ToListAsync(cancellationToken);
    }
}
