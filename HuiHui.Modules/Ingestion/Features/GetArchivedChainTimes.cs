using FluentValidation;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Npgsql;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class GetArchivedChainTimesValidator : AbstractValidator<GetArchivedChainTimes>
{
    public GetArchivedChainTimesValidator()
    {
        RuleFor(q => q.Symbol).NotEmpty().MaximumLength(16);
        RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).WithMessage("'To' must not be before 'From'");
    }
}

/// <summary>One scan of the (underlying, as_of) index of the day partitions in range.</summary>
internal sealed class GetArchivedChainTimesHandler(NpgsqlDataSource dataSource) : IQueryHandler<GetArchivedChainTimes, IReadOnlyList<DateTimeOffset>>
{
    private const int MaxTimes = 5000;

    public async ValueTask<IReadOnlyList<DateTimeOffset>> Handle(GetArchivedChainTimes query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT DISTINCT as_of FROM market_data.options_chain WHERE underlying = $1 AND as_of >= $2 AND as_of <= $3 ORDER BY as_of LIMIT {MaxTimes}");
        command.Parameters.Add(new NpgsqlParameter { Value = query.Symbol.ToUpperInvariant() });
        command.Parameters.Add(new NpgsqlParameter { Value = query.From.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = query.To.UtcDateTime });
        var times = new List<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            times.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }

        return times;
    }
}
