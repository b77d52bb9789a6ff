using HuiHui.Modules.Experts.Backtest;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetBacktestsHandler(ExpertsDbContext db) : IQueryHandler<GetBacktests, IReadOnlyList<BacktestRun>>
{
    public async ValueTask<IReadOnlyList<BacktestRun>> Handle(GetBacktests query, CancellationToken cancellationToken)
    {
        // The report (jsonb, can be megabytes) is left out of the list.
        var rows = await db.Backtests.AsNoTracking().OrderByDescending(r => r.RequestedAt).Take(Math.Clamp(query.Count, 1, 200))
            .Select(r => new BacktestRunRecord
            {
                Id = r.Id, RequestedBy = r.RequestedBy, Symbols = r.Symbols, Source = r.Source, From = r.From, To = r.To, EveryMinutes = r.EveryMinutes,
                Status = r.Status, Snapshots = r.Snapshots, RequestedAt = r.RequestedAt, StartedAt = r.StartedAt, UpdatedAt = r.UpdatedAt,
                FinishedAt = r.FinishedAt, Error = r.Error,
            })
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => BacktestJobs.ToRun(r, withReport: false));
    }
}
