using HuiHui.Modules.Ingestion.Archive;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Npgsql;

namespace HuiHui.Modules.Ingestion.Features;

/// <summary>
/// Daily history from <c>market_data.underlying_ohlc</c> for other modules (realised volatility, labels): one range scan
/// of the primary key. Read with Npgsql rather than EF: an EF query's first run in a process sets up the context's services
/// and compiles the LINQ (~170 ms measured), which a one-shot <c>analyze</c> paid at every run its cache could not answer
/// (docs/performance.md, "Thirteenth pass").
/// </summary>
internal sealed class GetDailyBarsHandler(NpgsqlDataSource dataSource) : IQueryHandler<GetDailyBars, IReadOnlyList<Bar>>
{
    public async ValueTask<IReadOnlyList<Bar>> Handle(GetDailyBars query, CancellationToken cancellationToken)
    {
        var symbol = query.Symbol.ToUpperInvariant();
        await using var command = dataSource.CreateCommand(
            "SELECT ts, open, high, low, close, volume FROM market_data.underlying_ohlc WHERE symbol = $1 AND interval = $2 AND ts >= $3 AND ts < $4 ORDER BY ts");
        command.Parameters.Add(new NpgsqlParameter { Value = symbol });
        command.Parameters.Add(new NpgsqlParameter { Value = Bar.Daily });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Before.AddDays(-query.Days).UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Before.UtcDateTime });
        return await StoredBars.ReadAsync(command, symbol, Bar.Daily, cancellationToken);
    }
}
