using System.Text.Json;
using FluentValidation;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Shared.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HuiHui.Modules.Experts.History;

internal sealed class GetAnalysisRollupsValidator : AbstractValidator<GetAnalysisRollups>
{
    public GetAnalysisRollupsValidator()
    {
        RuleFor(q => q.Symbol).NotEmpty().MaximumLength(16);
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'To' must be after 'From'");
        RuleFor(q => q).Must(q => q.To - q.From <= TimeSpan.FromDays(400)).WithName("To").WithMessage("at most 400 days at a time");
    }
}

internal sealed class RollUpAnalysisHoursValidator : AbstractValidator<RollUpAnalysisHours>
{
    public RollUpAnalysisHoursValidator()
    {
        RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).WithMessage("'To' must not be before 'From'");
        RuleFor(q => q).Must(q => q.To - q.From <= TimeSpan.FromDays(31)).WithName("To").WithMessage("at most 31 days at a time");
    }
}

internal sealed class GetAnalysisRollupsHandler(ExpertsDbContext db) : IQueryHandler<GetAnalysisRollups, IReadOnlyList<AnalysisHour>>
{
    public async ValueTask<IReadOnlyList<AnalysisHour>> Handle(GetAnalysisRollups query, CancellationToken cancellationToken)
    {
        var symbol = query.Symbol.Trim().ToUpperInvariant();
        var from = UtcTime.HourOf(query.From);
        var rows = await db.AnalysisHours.AsNoTracking().Where(h => h.Symbol == symbol && h.Hour >= from && h.Hour < query.To).OrderBy(h => h.Hour).ToListAsync(cancellationToken);
        return rows.ConvertAll(h =>
        {
            var regimes = JsonSerializer.Deserialize<Dictionary<string, long>>(h.Regimes) ?? [];
            var answered = regimes.Values.Sum();
            var share = regimes.ToDictionary(r => r.Key, r => answered == 0 ? 0 : (double)r.Value / answered, StringComparer.Ordinal);
            var cycles = Math.Max(1, h.Cycles);
            return new AnalysisHour(h.Hour, h.Cycles, (double)h.Bullish / cycles, (double)h.Bearish / cycles, h.MeanConviction, share, h.MeanGex, h.MeanFlipDistance);
        });
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

/// <summary>
/// Keeps the analysis rollups current, in snapshot time (a replay or the accelerated simulator runs ahead of the wall
/// clock): each minute, the hours from the last one rolled up to the newest stored snapshot; at start from the newest stored
/// rollup (at most two days before the newest snapshot).
/// </summary>
internal sealed class AnalysisRollupWriter(IServiceScopeFactory scopes, TimeProvider time, ILogger<AnalysisRollupWriter> logger) : EveryMinute(scopes, time, logger)
{
    private DateTimeOffset? done;

    protected override string What => "roll up the hourly analyses";

    protected override async Task RunOnceAsync(IServiceProvider services, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<ExpertsDbContext>();
        var newest = await db.ExpertResponses.OrderByDescending(r => r.AsOf).Select(r => (DateTimeOffset?)r.AsOf).FirstOrDefaultAsync(cancellationToken);
        if (newest is not { } latest)
        {
            return;
        }

        if (done is null)
        {
            var stored = await db.AnalysisHours.MaxAsync(h => (DateTimeOffset?)h.Hour, cancellationToken);
            done = stored is { } s && s > latest.AddDays(-2) ? s : latest.AddDays(-2);
        }

        var from = done.Value < latest.AddHours(-1) ? done.Value : latest.AddHours(-1);
        await services.GetRequiredService<IMediator>().Send(new RollUpAnalysisHours(from, latest), cancellationToken);
        done = latest;
    }
}
