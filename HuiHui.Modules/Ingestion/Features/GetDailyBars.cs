using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Ingestion.Features;

/// <summary>Daily history from <c>market_data.underlying_ohlc</c> for other modules (realised volatility, labels).</summary>
internal sealed class GetDailyBarsHandler(IngestionDbContext db) : IQueryHandler<GetDailyBars, IReadOnlyList<Bar>>
{
    public async ValueTask<IReadOnlyList<Bar>> Handle(GetDailyBars query, CancellationToken cancellationToken)
    {
        var symbol = query.Symbol.ToUpperInvariant();
        var from = query.Before.AddDays(-query.Days);
        var rows = await db.UnderlyingBars.AsNoTracking()
            .Where(b => b.Symbol == symbol && b.Interval == Bar.Daily && b.Ts >= from && b.Ts < query.Before)
            .OrderBy(b => b.Ts)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(b => new Bar(b.Symbol, b.Interval, b.Ts, b.Open, b.High, b.Low, b.Close, b.Volume));
    }
}
