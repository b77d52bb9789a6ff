using FluentValidation;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Persistence;
using Mediator;
using Npgsql;

namespace HuiHui.Modules.Monitoring.Features;

internal sealed class RollUpHoursValidator : AbstractValidator<RollUpHours>
{
    public RollUpHoursValidator()
    {
        RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).WithMessage("'To' must not be before 'From'");
        RuleFor(q => q).Must(q => q.To - q.From <= TimeSpan.FromDays(31)).WithName("To").WithMessage("at most 31 days at a time");
    }
}

/// <summary>
/// Percentiles computed by PostgreSQL (<c>percentile_cont</c>) per hour bucket over the raw rows of the hours asked for
/// (day partitions outside them pruned, BRIN on the time column inside), replacing what was stored for those hours, in one
/// transaction under an advisory lock so two callers cannot interleave.
/// </summary>
internal sealed class RollUpHoursHandler(NpgsqlDataSource dataSource) : ICommandHandler<RollUpHours, int>
{
    public async ValueTask<int> Handle(RollUpHours command, CancellationToken cancellationToken)
    {
        var from = UtcTime.HourOf(command.From);
        var to = UtcTime.HourOf(command.To).AddHours(1);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command2 = new NpgsqlCommand(
            """
            SELECT pg_advisory_xact_lock(hashtext('usage_stats.hourly_rollups'));
            DELETE FROM usage_stats.stage_hourly WHERE hour >= @from AND hour < @to;
            DELETE FROM usage_stats.usage_hourly WHERE hour >= @from AND hour < @to;
            INSERT INTO usage_stats.stage_hourly (hour, stage, count, p50, p95, p99, max)
            SELECT date_trunc('hour', occurred_at, 'UTC'), stage, count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms),
                   max(latency_ms)
            FROM usage_stats.orchestrator_stats
            WHERE occurred_at >= @from AND occurred_at < @to
            GROUP BY 1, 2;
            INSERT INTO usage_stats.usage_hourly (hour, kind, name, calls, failures, prompt_tokens, completion_tokens, mean_latency_ms)
            SELECT date_trunc('hour', occurred_at, 'UTC'), kind, name, count(*), count(*) FILTER (WHERE NOT success),
                   coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0), avg(latency_ms)
            FROM usage_stats.huihui_usage
            WHERE occurred_at >= @from AND occurred_at < @to
            GROUP BY 1, 2, 3;
            """, connection, transaction);
        command2.Parameters.AddWithValue("from", from);
        command2.Parameters.AddWithValue("to", to);
        await command2.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (int)(to - from).TotalHours;
    }
}
