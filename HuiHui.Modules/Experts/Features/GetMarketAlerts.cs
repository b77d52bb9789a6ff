using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetMarketAlertsHandler(ExpertsDbContext db) : IQueryHandler<GetMarketAlerts, IReadOnlyList<MarketAlert>>
{
    public async ValueTask<IReadOnlyList<MarketAlert>> Handle(GetMarketAlerts query, CancellationToken cancellationToken)
    {
        var alerts = db.MarketAlerts.AsNoTracking();
        if (query.Symbol is { } symbol)
        {
            var upper = symbol.Trim().ToUpperInvariant();
            alerts = alerts.Where(a => a.Symbol == upper);
        }

        return await alerts.OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).Take(Math.Clamp(query.Count, 1, 500))
            .Select(a => new MarketAlert(a.Id, a.Symbol, a.Kind, a.Message, a.Level, a.AsOf, a.RaisedAt)).ToListAsync(cancellationToken);
    }
}
