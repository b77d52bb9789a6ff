using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Experts.Ideas;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetIdeaGatesHandler(ExpertsDbContext db) : IQueryHandler<GetIdeaGates, IReadOnlyList<IdeaGateReport>>
{
    public async ValueTask<IReadOnlyList<IdeaGateReport>> Handle(GetIdeaGates query, CancellationToken cancellationToken)
    {
        var rows = await db.IdeaGates.AsNoTracking().OrderByDescending(g => g.TrainedAt).Take(Math.Clamp(query.Count, 1, 100)).ToListAsync(cancellationToken);
        return rows.ConvertAll(IdeaGateHost.Read);
    }
}
