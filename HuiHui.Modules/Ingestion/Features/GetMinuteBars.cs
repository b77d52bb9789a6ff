using FluentValidation;
using HuiHui.Modules.Ingestion.Archive;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Npgsql;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class GetMinuteBarsValidator : AbstractValidator<GetMinuteBars>
{
    public GetMinuteBarsValidator()
    {
        RuleFor(q => q.Symbol).NotEmpty().MaximumLength(16);
        RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).WithMessage("'To' must not be before 'From'");
    }
}

/// <summary>One range scan of the primary key (symbol, interval, ts).</summary>
internal sealed class GetMinuteBarsHandler(NpgsqlDataSource dataSource) : IQueryHandler<GetMinuteBars, IReadOnlyList<Bar>>
{
    private const int MaxBars = 200_000;

    public async ValueTask<IReadOnlyList<Bar>> Handle(GetMinuteBars query, CancellationToken cancellationToken)
    {
        var symbol = query.Symbol.ToUpperInvariant();
        await using var command = dataSource.CreateCommand(
            $"SELECT ts, open, high, low, close, volume FROM market_data.underlying_ohlc WHERE symbol = $1 AND interval = $2 AND ts >= $3 AND ts <= $4 ORDER BY ts LIMIT {MaxBars}");
        command.Parameters.Add(new NpgsqlParameter { Value = symbol });
        command.Parameters.Add(new NpgsqlParameter { Value = Bar.Minute });
        command.Parameters.Add(new NpgsqlParameter { Value = query.From.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = query.To.UtcDateTime });
        return await StoredBars.ReadAsync(command, symbol, Bar.Minute, cancellationToken);
    }
}
