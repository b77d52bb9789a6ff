using FluentValidation;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.History;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Npgsql;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetLevelsTimelineValidator : AbstractValidator<GetLevelsTimeline>
{
    public GetLevelsTimelineValidator() => RuleFor(q => q.Symbol).NotEmpty().MaximumLength(16);
}

/// <summary>
/// The day's meta responses of the symbol (its levels as they were stored), read on the (symbol, as_of) index of one
/// day's partition, the minute bars Ingestion archived and the net gamma band of the chains it archived
/// (<see cref="GammaBand"/>); null when the symbol has no stored analysis at all.
/// </summary>
internal sealed class GetLevelsTimelineHandler(NpgsqlDataSource dataSource, IMediator mediator, GammaBand band) : IQueryHandler<GetLevelsTimeline, LevelsTimeline?>
{
    private const int MaxReadings = 5000;

    public async ValueTask<LevelsTimeline?> Handle(GetLevelsTimeline query, CancellationToken cancellationToken)
    {
        var symbol = query.Symbol.Trim().ToUpperInvariant();
        var day = query.Day;
        if (day is null)
        {
            await using var latest = dataSource.CreateCommand("SELECT max(as_of) FROM moe_analysis.expert_responses WHERE symbol = $1 AND expert_id = 'meta'");
            latest.Parameters.Add(new NpgsqlParameter { Value = symbol });
            if (await latest.ExecuteScalarAsync(cancellationToken) is not DateTime last)
            {
                return null;
            }

            day = DateOnly.FromDateTime(last);
        }

        var from = new DateTimeOffset(day.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = from.AddDays(1);
        var readings = new List<LevelsReading>();
        await using (var command = dataSource.CreateCommand(
            $"""
            SELECT as_of, (details->'levels'->>'zeroGamma')::float8, (details->'levels'->>'callWall')::float8, (details->'levels'->>'putWall')::float8,
                   (details->'levels'->>'maxPain')::float8, (details->'levels'->>'hedgeWall')::float8
            FROM moe_analysis.expert_responses
            WHERE symbol = $1 AND expert_id = 'meta' AND as_of >= $2 AND as_of < $3
            ORDER BY as_of DESC LIMIT {MaxReadings}
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = symbol });
            command.Parameters.Add(new NpgsqlParameter { Value = from.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter { Value = to.UtcDateTime });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                double? At(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
                readings.Add(new LevelsReading(new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero), At(1), At(2), At(3), At(4), At(5)));
            }
        }

        readings.Reverse();
        var bars = await mediator.Send(new GetMinuteBars(symbol, from, to.AddTicks(-1)), cancellationToken);
        return new LevelsTimeline(symbol, day.Value, readings, bars, await band.ForDayAsync(mediator, symbol, day.Value, cancellationToken));
    }
}
