using HuiHui.Modules.Experts.Backtest;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetBacktestHandler(ExpertsDbContext db) : IQueryHandler<GetBacktest, BacktestRun?>
{
    public async ValueTask<BacktestRun?> Handle(GetBacktest query, CancellationToken cancellationToken) =>
        await db.Backtests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == query.Id, cancellationToken) is { } record ? BacktestJobs.ToRun(record, withReport: true) : null;
}
