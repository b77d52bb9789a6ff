using HuiHui.Modules.Shared.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HuiHui.Modules.Ingestion.Data.Migrations
{
    /// <summary>Day partitions for the module's time series (issue 22); every row is moved over.</summary>
    internal sealed partial class Partitioned : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(DailyPartitions.ConvertSql(
                IngestionDbContext.OptionsChain,
                """
                ALTER TABLE market_data.options_chain ADD CONSTRAINT pk_options_chain PRIMARY KEY (occ_symbol, as_of);
                CREATE INDEX ix_options_chain_underlying_as_of ON market_data.options_chain (underlying, as_of);
                CREATE INDEX ix_options_chain_underlying_expiry_strike ON market_data.options_chain (underlying, expiry, strike);
                """));

            // Bars: by interval first (daily bars are history and never dropped), the other intervals by day.
            migrationBuilder.Sql("""
                ALTER TABLE market_data.underlying_ohlc RENAME TO underlying_ohlc_unpartitioned;
                CREATE TABLE market_data.underlying_ohlc (LIKE market_data.underlying_ohlc_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
                    PARTITION BY LIST ("interval");
                CREATE TABLE market_data.underlying_ohlc_daily PARTITION OF market_data.underlying_ohlc FOR VALUES IN ('1d');
                CREATE TABLE market_data.underlying_ohlc_intraday PARTITION OF market_data.underlying_ohlc DEFAULT PARTITION BY RANGE (ts);
                CREATE TABLE market_data.underlying_ohlc_intraday_default PARTITION OF market_data.underlying_ohlc_intraday DEFAULT;
                DO $$
                DECLARE d date;
                BEGIN
                    FOR d IN SELECT DISTINCT (ts AT TIME ZONE 'UTC')::date FROM market_data.underlying_ohlc_unpartitioned WHERE "interval" <> '1d' LOOP
                        EXECUTE format('CREATE TABLE market_data.%I PARTITION OF market_data.underlying_ohlc_intraday FOR VALUES FROM (%L) TO (%L)',
                            'underlying_ohlc_intraday_p' || to_char(d, 'YYYYMMDD'), d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
                    END LOOP;
                END $$;
                INSERT INTO market_data.underlying_ohlc SELECT * FROM market_data.underlying_ohlc_unpartitioned;
                DROP TABLE market_data.underlying_ohlc_unpartitioned;
                ALTER TABLE market_data.underlying_ohlc ADD CONSTRAINT pk_underlying_ohlc PRIMARY KEY (symbol, "interval", ts);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            throw new NotSupportedException("Partitioned tables are not turned back into plain ones; restore a backup taken before the upgrade.");
    }
}
