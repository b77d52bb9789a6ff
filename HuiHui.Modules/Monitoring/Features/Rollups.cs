using FluentValidation;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Monitoring.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Monitoring.Features;

internal sealed class GetHourlyRollupsValidator : AbstractValidator<GetHourlyRollups>
{
    public GetHourlyRollupsValidator()
    {
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'To' must be after 'From'");
        RuleFor(q => q).Must(q => q.To - q.From <= TimeSpan.FromDays(31)).WithName("To").WithMessage("at most 31 days at a time");
    }
}

/// <summary>
/// Percentiles computed by PostgreSQL (<c>percentile_cont</c>) per hour bucket; nothing pre-aggregated to go stale.
/// Column aliases are snake_case: the context maps result types with its naming convention.
/// </summary>
internal sealed class GetHourlyRollupsHandler(MonitoringDbContext db) : IQueryHandler<GetHourlyRollups, HourlyRollups>
{
    public async ValueTask<HourlyRollups> Handle(GetHourlyRollups query, CancellationToken cancellationToken)
    {
        var stages = await db.Database.SqlQuery<StageHour>(
            $"""
            SELECT date_trunc('hour', occurred_at) AS hour, stage AS stage, count(*) AS count,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99,
                   max(latency_ms) AS max
            FROM usage_stats.orchestrator_stats
            WHERE occurred_at >= {query.From} AND occurred_at < {query.To}
            GROUP BY 1, 2 ORDER BY 1, 2
            """).ToListAsync(cancellationToken);
        var usage = await db.Database.SqlQuery<UsageHour>(
            $"""
            SELECT date_trunc('hour', occurred_at) AS hour, kind AS kind, name AS name, count(*) AS calls,
                   count(*) FILTER (WHERE NOT success) AS failures,
                   coalesce(sum(prompt_tokens), 0)::bigint AS prompt_tokens, coalesce(sum(completion_tokens), 0)::bigint AS completion_tokens,
                   avg(latency_ms) AS mean_latency_ms
            FROM usage_stats.huihui_usage
            WHERE occurred_at >= {query.From} AND occurred_at < {query.To}
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """).ToListAsync(cancellationToken);
        return new HourlyRollups(stages, usage);
    }
}
