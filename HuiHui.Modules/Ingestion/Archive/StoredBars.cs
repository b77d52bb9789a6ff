using HuiHui.Modules.Ingestion.Contracts;
using Npgsql;

namespace HuiHui.Modules.Ingestion.Archive;

/// <summary>Bars read back from <c>market_data.underlying_ohlc</c>.</summary>
internal static class StoredBars
{
    /// <summary>Runs <paramref name="select"/>, whose rows are <c>ts, open, high, low, close, volume</c> of one symbol and interval, in its order.</summary>
    public static async Task<List<Bar>> ReadAsync(NpgsqlCommand select, string symbol, string interval, CancellationToken cancellationToken)
    {
        var bars = new List<Bar>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            bars.Add(new Bar(symbol, interval, reader.GetFieldValue<DateTimeOffset>(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetInt64(5)));
        }

        return bars;
    }
}
