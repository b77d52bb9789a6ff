using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Npgsql;
using NpgsqlTypes;

namespace HuiHui.Modules.Ingestion.Features;

/// <summary>
/// Prices from archived minute bars, for outcome labels (Learning) without reading this module's tables. One round
/// trip for all the times: each is looked up by the primary key (symbol, interval, ts) in a lateral join.
/// </summary>
internal sealed class GetPricesAtHandler(NpgsqlDataSource dataSource) : IQueryHandler<GetPricesAt, PricesAt>
{
    public async ValueTask<PricesAt> Handle(GetPricesAt query, CancellationToken cancellationToken)
    {
        var symbol = query.Symbol.ToUpperInvariant();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        DateTimeOffset? latest;
        await using (var max = new NpgsqlCommand("SELECT max(ts) FROM market_data.underlying_ohlc WHERE symbol = $1 AND interval = $2", connection))
        {
            max.Parameters.Add(new NpgsqlParameter { Value = symbol });
            max.Parameters.Add(new NpgsqlParameter { Value = Bar.Minute });
            latest = await max.ExecuteScalarAsync(cancellationToken) is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
        }

        var prices = new double?[query.Times.Count];
        if (latest is null || query.Times.Count == 0)
        {
            return new PricesAt(prices, latest);
        }

        await using var lookup = new NpgsqlCommand(
            """
            SELECT t.ord, b.close
            FROM unnest($3::timestamptz[]) WITH ORDINALITY AS t(at, ord)
            CROSS JOIN LATERAL (
                SELECT close FROM market_data.underlying_ohlc
                WHERE symbol = $1 AND interval = $2 AND ts <= t.at AND ts >= t.at - interval '5 minutes'
                ORDER BY ts DESC LIMIT 1) b
            """,
            connection);
        lookup.Parameters.Add(new NpgsqlParameter { Value = symbol });
        lookup.Parameters.Add(new NpgsqlParameter { Value = Bar.Minute });
        lookup.Parameters.Add(new NpgsqlParameter { Value = query.Times.Select(t => t.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        await using var reader = await lookup.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            prices[reader.GetInt64(0) - 1] = reader.GetDouble(1);
        }

        return new PricesAt(prices, latest);
    }
}
