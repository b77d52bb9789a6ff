using HuiHui.Modules.Ingestion.Data;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace HuiHui.Modules.Ingestion.Archive;

/// <summary>One option quote row of <c>market_data.options_chain</c>.</summary>
internal readonly record struct OptionRow(OptionContract Contract, DateTimeOffset AsOf, double UnderlyingPrice, string Source);

/// <summary>
/// Writes <c>market_data</c> in bulk: binary COPY into a temporary staging table, then one INSERT … ON CONFLICT into the
/// real table, all in the caller's transaction. Idempotent: the same rows written twice are stored once.
/// Option quotes and news are immutable (conflicts are skipped); bars are updated when their values changed
/// (a day first seen partial, later complete).
/// </summary>
internal static class MarketDataArchive
{
    private const string OptionColumns = "occ_symbol, as_of, underlying, expiry, strike, \"right\", bid, ask, last, volume, open_interest, implied_vol, delta, gamma, theta, vega, underlying_price, source";
    private const string BarColumns = "symbol, \"interval\", ts, open, high, low, close, volume, source, ingested_at";
    private const string NewsColumns = "id, headline, summary, source, url, published_at, tickers, provider, ingested_at";

    public static async Task<int> WriteOptionsAsync(NpgsqlConnection connection, IEnumerable<OptionRow> rows, CancellationToken cancellationToken)
    {
        await CreateStageAsync(connection, "options_chain", cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY stage_options_chain ({OptionColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var row in rows)
            {
                var c = row.Contract;
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(c.OccSymbol, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(UtcTime.Require(row.AsOf, "options_chain.as_of"), NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(c.Underlying, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(c.Expiry, NpgsqlDbType.Date, cancellationToken);
                await copy.WriteAsync(c.Strike, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(c.Right == OptionRight.Call ? "C" : "P", NpgsqlDbType.Varchar, cancellationToken);
                await WriteNullableAsync(copy, c.Bid, cancellationToken);
                await WriteNullableAsync(copy, c.Ask, cancellationToken);
                await WriteNullableAsync(copy, c.Last, cancellationToken);
                await copy.WriteAsync(c.Volume, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(c.OpenInterest, NpgsqlDbType.Bigint, cancellationToken);
                await WriteNullableAsync(copy, c.ImpliedVol, cancellationToken);
                await WriteNullableAsync(copy, c.Greeks?.Delta, cancellationToken);
                await WriteNullableAsync(copy, c.Greeks?.Gamma, cancellationToken);
                await WriteNullableAsync(copy, c.Greeks?.Theta, cancellationToken);
                await WriteNullableAsync(copy, c.Greeks?.Vega, cancellationToken);
                await copy.WriteAsync(row.UnderlyingPrice, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(row.Source, NpgsqlDbType.Varchar, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await DailyPartitions.EnsureForStageAsync(connection, IngestionDbContext.OptionsChain, "stage_options_chain", "as_of", null, cancellationToken);
        return await ExecuteAsync(connection,
            $"INSERT INTO market_data.options_chain ({OptionColumns}) SELECT DISTINCT ON (occ_symbol, as_of) {OptionColumns} FROM stage_options_chain ORDER BY occ_symbol, as_of ON CONFLICT (occ_symbol, as_of) DO NOTHING",
            cancellationToken);
    }

    /// <summary>Returns bars inserted and bars whose values changed.</summary>
    public static async Task<(int Inserted, int Updated)> WriteBarsAsync(NpgsqlConnection connection, IEnumerable<Bar> bars, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await CreateStageAsync(connection, "underlying_ohlc", cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY stage_underlying_ohlc ({BarColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var bar in bars)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(bar.Symbol, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(bar.Interval, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(UtcTime.Require(bar.Start, "underlying_ohlc.start"), NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(bar.Open, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(bar.High, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(bar.Low, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(bar.Close, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(bar.Volume, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(source, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await DailyPartitions.EnsureForStageAsync(connection, IngestionDbContext.IntradayBars, "stage_underlying_ohlc", "ts", $"\"interval\" <> '{Bar.Daily}'", cancellationToken);
        await using var command = new NpgsqlCommand(
            $"""
            WITH staged AS (
                SELECT DISTINCT ON (symbol, "interval", ts) {BarColumns} FROM stage_underlying_ohlc ORDER BY symbol, "interval", ts, ingested_at DESC),
            fresh AS (
                -- Every part of the statement sees the table as it was before it: these are the bars that will be inserted.
                -- (RETURNING xmax cannot tell inserts from updates on a partitioned table.)
                SELECT count(*) AS n FROM staged s
                WHERE NOT EXISTS (SELECT 1 FROM market_data.underlying_ohlc t WHERE t.symbol = s.symbol AND t."interval" = s."interval" AND t.ts = s.ts)),
            up AS (
                INSERT INTO market_data.underlying_ohlc AS t ({BarColumns})
                SELECT {BarColumns} FROM staged
                ON CONFLICT (symbol, "interval", ts) DO UPDATE
                    SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume,
                        source = EXCLUDED.source, ingested_at = EXCLUDED.ingested_at
                    WHERE (t.open, t.high, t.low, t.close, t.volume) IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume)
                RETURNING 1)
            SELECT (SELECT n FROM fresh)::int, ((SELECT count(*) FROM up) - (SELECT n FROM fresh))::int
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    public static async Task<int> WriteNewsAsync(NpgsqlConnection connection, IEnumerable<(NewsItem Item, string Provider)> news, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await CreateStageAsync(connection, "news_items", cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY stage_news_items ({NewsColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var (item, provider) in news)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(item.Id, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(item.Headline, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableTextAsync(copy, item.Summary, cancellationToken);
                await copy.WriteAsync(item.Source, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableTextAsync(copy, item.Url, cancellationToken);
                await copy.WriteAsync(UtcTime.Require(item.PublishedAt, "news_items.published_at"), NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(item.Tickers.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(provider, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        return await ExecuteAsync(connection,
            $"INSERT INTO market_data.news_items ({NewsColumns}) SELECT DISTINCT ON (id) {NewsColumns} FROM stage_news_items ORDER BY id ON CONFLICT (id) DO NOTHING",
            cancellationToken);
    }

    private static async Task CreateStageAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, $"CREATE TEMP TABLE IF NOT EXISTS stage_{table} (LIKE market_data.{table}) ON COMMIT DELETE ROWS; TRUNCATE stage_{table}", cancellationToken);

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, double? value, CancellationToken cancellationToken) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Double, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task WriteNullableTextAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Text, cancellationToken) : copy.WriteNullAsync(cancellationToken);
}
