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

    private const string Options = "market_data.options_chain";
    private const string Bars = "market_data.underlying_ohlc";
    private const string News = "market_data.news_items";

    public static async Task<int> WriteOptionsAsync(NpgsqlConnection connection, IEnumerable<OptionRow> rows, CancellationToken cancellationToken)
    {
        await StagedCopy.StageAsync(connection, Options, OptionColumns, rows, async (copy, row, token) =>
        {
            var c = row.Contract;
            await copy.WriteAsync(c.OccSymbol, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(UtcTime.Require(row.AsOf, "options_chain.as_of"), NpgsqlDbType.TimestampTz, token);
            await copy.WriteAsync(c.Underlying, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(c.Expiry, NpgsqlDbType.Date, token);
            await copy.WriteAsync(c.Strike, NpgsqlDbType.Double, token);
            await copy.WriteAsync(c.Right == OptionRight.Call ? "C" : "P", NpgsqlDbType.Varchar, token);
            await WriteNullableAsync(copy, c.Bid, token);
            await WriteNullableAsync(copy, c.Ask, token);
            await WriteNullableAsync(copy, c.Last, token);
            await copy.WriteAsync(c.Volume, NpgsqlDbType.Bigint, token);
            await copy.WriteAsync(c.OpenInterest, NpgsqlDbType.Bigint, token);
            await WriteNullableAsync(copy, c.ImpliedVol, token);
            await WriteNullableAsync(copy, c.Greeks?.Delta, token);
            await WriteNullableAsync(copy, c.Greeks?.Gamma, token);
            await WriteNullableAsync(copy, c.Greeks?.Theta, token);
            await WriteNullableAsync(copy, c.Greeks?.Vega, token);
            await copy.WriteAsync(row.UnderlyingPrice, NpgsqlDbType.Double, token);
            await copy.WriteAsync(row.Source, NpgsqlDbType.Varchar, token);
        }, cancellationToken);
        await DailyPartitions.EnsureForStageAsync(connection, IngestionDbContext.OptionsChain, StagedCopy.Stage(Options), "as_of", null, cancellationToken);
        return await StagedCopy.InsertNewAsync(connection, Options, OptionColumns, "occ_symbol, as_of", cancellationToken);
    }

    /// <summary>Returns bars inserted and bars whose values changed.</summary>
    public static async Task<(int Inserted, int Updated)> WriteBarsAsync(NpgsqlConnection connection, IEnumerable<Bar> bars, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await StagedCopy.StageAsync(connection, Bars, BarColumns, bars, async (copy, bar, token) =>
        {
            await copy.WriteAsync(bar.Symbol, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(bar.Interval, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(UtcTime.Require(bar.Start, "underlying_ohlc.start"), NpgsqlDbType.TimestampTz, token);
            await copy.WriteAsync(bar.Open, NpgsqlDbType.Double, token);
            await copy.WriteAsync(bar.High, NpgsqlDbType.Double, token);
            await copy.WriteAsync(bar.Low, NpgsqlDbType.Double, token);
            await copy.WriteAsync(bar.Close, NpgsqlDbType.Double, token);
            await copy.WriteAsync(bar.Volume, NpgsqlDbType.Bigint, token);
            await copy.WriteAsync(source, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, token);
        }, cancellationToken);

        await DailyPartitions.EnsureForStageAsync(connection, IngestionDbContext.IntradayBars, StagedCopy.Stage(Bars), "ts", $"\"interval\" <> '{Bar.Daily}'", cancellationToken);
        await using var command = new NpgsqlCommand(
            $"""
            WITH staged AS (
                SELECT DISTINCT ON (symbol, "interval", ts) {BarColumns} FROM {StagedCopy.Stage(Bars)} ORDER BY symbol, "interval", ts, ingested_at DESC),
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
        await StagedCopy.StageAsync(connection, News, NewsColumns, news, async (copy, row, token) =>
        {
            var (item, provider) = row;
            await copy.WriteAsync(item.Id, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(item.Headline, NpgsqlDbType.Text, token);
            await WriteNullableTextAsync(copy, item.Summary, token);
            await copy.WriteAsync(item.Source, NpgsqlDbType.Text, token);
            await WriteNullableTextAsync(copy, item.Url, token);
            await copy.WriteAsync(UtcTime.Require(item.PublishedAt, "news_items.published_at"), NpgsqlDbType.TimestampTz, token);
            await copy.WriteAsync(item.Tickers.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, token);
            await copy.WriteAsync(provider, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, token);
        }, cancellationToken);
        return await StagedCopy.InsertNewAsync(connection, News, NewsColumns, "id", cancellationToken);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, double? value, CancellationToken cancellationToken) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Double, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task WriteNullableTextAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Text, cancellationToken) : copy.WriteNullAsync(cancellationToken);
}
