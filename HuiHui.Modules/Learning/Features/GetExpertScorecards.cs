using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Learning.Scorecards;
using Mediator;

namespace HuiHui.Modules.Learning.Features;

/// <summary>The scorecards as <see cref="RefreshScorecards"/> computes them, without raising or resolving alerts.</summary>
internal sealed class GetExpertScorecardsHandler(LearningDbContext db) : IQueryHandler<GetExpertScorecards, IReadOnlyList<ExpertScorecard>>
{
    public async ValueTask<IReadOnlyList<ExpertScorecard>> Handle(GetExpertScorecards query, CancellationToken cancellationToken) =>
        await ScorecardCalculator.ComputeAsync(db, query.Horizon, query.Symbol, query.RollingCount, cancellationToken);
}
