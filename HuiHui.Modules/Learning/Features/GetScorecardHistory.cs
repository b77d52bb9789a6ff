using FluentValidation;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Learning.Features;

internal sealed class GetScorecardHistoryValidator : AbstractValidator<GetScorecardHistory>
{
    public GetScorecardHistoryValidator()
    {
        RuleFor(q => q.Horizon).InclusiveBetween(TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
        RuleFor(q => q.Days).InclusiveBetween(1, 366);
    }
}

internal sealed class GetScorecardHistoryHandler(LearningDbContext db, TimeProvider time) : IQueryHandler<GetScorecardHistory, IReadOnlyList<ScorecardDay>>
{
    public async ValueTask<IReadOnlyList<ScorecardDay>> Handle(GetScorecardHistory query, CancellationToken cancellationToken)
    {
        var from = time.GetUtcNow().AddDays(-query.Days);
        var seconds = (int)query.Horizon.TotalSeconds;
        return await db.Database.SqlQuery<ScorecardDay>(
            $"""
            SELECT date_trunc('day', e.as_of) AS day, o.key AS expert, count(*)::int AS examples,
                   avg(CASE WHEN o.value = 'true'::jsonb THEN 1.0 ELSE 0.0 END)::float8 AS hit_rate
            FROM training.labeled_examples e, jsonb_each(e.expert_outcomes) o
            WHERE e.horizon_seconds = {seconds} AND e.as_of >= {from} AND o.value <> 'null'::jsonb
            GROUP BY 1, 2 ORDER BY 1, 2
            """).ToListAsync(cancellationToken);
    }
}
