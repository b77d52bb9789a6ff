using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Ingestion.Features;

/// <summary>Prices from archived minute bars, for outcome labels (Learning) without reading this module's tables.</summary>
internal sealed class GetPricesAtHandler(IngestionDbContext db) : IQueryHandler<GetPricesAt, PricesAt>
{
    public async ValueTask<PricesAt> Handle(GetPricesAt query, CancellationToken cancellationToken)
    {
        var symbol = query.Symbol.ToUpperInvariant();
        var bars = db.UnderlyingBars.AsNoTracking().Where(b => b.Symbol == symbol && b.Interval == Bar.Minute);
        var latest = await bars.MaxAsync(b => (DateTimeOffset?)b.Ts, cancellationToken);
        var prices = new List<double?>(query.Times.Count);
        foreach (var time in query.Times)
        {
            var from = time.AddMinutes(-5);
            prices.Add(await bars.Where(b => b.Ts <= time && b.Ts >= from).OrderByDescending(b => b.Ts).Select(b => (double?)b.Close).FirstOrDefaultAsync(cancellationToken));
        }

        return new PricesAt(prices, latest);
    }
}
