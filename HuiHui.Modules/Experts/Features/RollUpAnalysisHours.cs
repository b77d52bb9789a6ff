using FluentValidation;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Persistence;
using Mediator;
using Npgsql;

namespace HuiHui.Modules.Experts.Features;

internal sealed class RollUpAnalysisHoursValidator : AbstractValidator<RollUpAnalysisHours>
{
    public RollUpAnalysisHoursValidator()
    {
        RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).WithMessage("'To' must not be before 'From'");
        RuleFor(q => q).Must(q => q.To - q.From <= TimeSpan.FromDays(31)).WithName("To").WithMessage("at most 31 days at a time");
    }
}

/// <summary>
/// One statement per call: the meta answers give cycles, calls and conviction, the regime answers the regime counts, GEX and
/// zero-gamma distance, both grouped by symbol and hour of <c>as_of</c> (the day partitions outside the hours are pruned);
/// what was stored for those hours is replaced, under an advisory lock.
/// </summary>
internal sealed class RollUpAnalysisHoursHandler(NpgsqlDataSource dataSource) : ICommandHandler<RollUpAnalysisHours, int>
{
    public async ValueTask<int> Handle(RollUpAnalysisHours command, CancellationToken cancellationToken)
    {
        var from = UtcTime.HourOf(command.From);
        var to = UtcTime.HourOf(command.To).AddHours(1);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var sql = new NpgsqlCommand(
            """
            SELECT pg_advisory_xact_lock(hashtext('moe_analysis.analysis_hourly'));
            DELETE FROM moe_analysis.analysis_hourly WHERE hour >= @from AND hour < @to;
            WITH meta AS (
                SELECT symbol, date_trunc('hour', as_of, 'UTC') AS hour, count(*) AS cycles,
                       count(*) FILTER (WHERE details->>'bias' = 'Bullish') AS bullish,
                       count(*) FILTER (WHERE details->>'bias' = 'Bearish') AS bearish,
                       count(*) FILTER (WHERE details->>'bias' = 'Neutral') AS neutral,
                       avg(confidence) AS mean_conviction
                FROM moe_analysis.expert_responses
                WHERE expert_id = 'meta' AND as_of >= @from AND as_of < @to
                GROUP BY 1, 2),
            regime AS (
                SELECT symbol, date_trunc('hour', as_of, 'UTC') AS hour, coalesce(details->>'name', details->>'regime') AS regime,
                       count(*) AS n, sum((details->'evidence'->>'gexTotal')::float8) AS gex,
                       sum((details->'evidence'->>'zeroGammaDistance')::float8) AS flip,
                       count(details->'evidence'->>'zeroGammaDistance') AS flips
                FROM moe_analysis.expert_responses
                WHERE expert_id = 'regime' AND as_of >= @from AND as_of < @to
                GROUP BY 1, 2, 3),
            regimes AS (
                SELECT symbol, hour, jsonb_object_agg(regime, n) FILTER (WHERE regime IS NOT NULL) AS counts,
                       sum(gex) / sum(n) AS mean_gex, sum(flip) / nullif(sum(flips), 0) AS mean_flip
                FROM regime GROUP BY 1, 2)
            INSERT INTO moe_analysis.analysis_hourly (symbol, hour, cycles, bullish, bearish, neutral, mean_conviction, regimes, mean_gex, mean_flip_distance)
            SELECT m.symbol, m.hour, m.cycles, m.bullish, m.bearish, m.neutral, m.mean_conviction, coalesce(r.counts, '{}'), r.mean_gex, r.mean_flip
            FROM meta m LEFT JOIN regimes r USING (symbol, hour);
            """, connection, transaction);
        sql.Parameters.AddWithValue("from", from);
        sql.Parameters.AddWithValue("to", to);
        await sql.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (int)(to - from).TotalHours;
    }
}
