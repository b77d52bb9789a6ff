using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HuiHui.Modules.Ingestion.Data.Migrations
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "market_data");

            migrationBuilder.CreateTable(
                name: "news_items",
                schema: "market_data",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    headline = table.Column<string>(type: "text", nullable: false),
                    summary = table.Column<string>(type: "text", nullable: true),
                    source = table.Column<string>(type: "text", nullable: false),
                    url = table.Column<string>(type: "text", nullable: true),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tickers = table.Column<string[]>(type: "text[]", nullable: false),
                    provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ingested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_news_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "options_chain",
                schema: "market_data",
                columns: table => new
                {
                    occ_symbol = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    as_of = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    underlying = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    expiry = table.Column<DateOnly>(type: "date", nullable: false),
                    strike = table.Column<double>(type: "double precision", nullable: false),
                    right = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    bid = table.Column<double>(type: "double precision", nullable: true),
                    ask = table.Column<double>(type: "double precision", nullable: true),
                    last = table.Column<double>(type: "double precision", nullable: true),
                    volume = table.Column<long>(type: "bigint", nullable: false),
                    open_interest = table.Column<long>(type: "bigint", nullable: false),
                    implied_vol = table.Column<double>(type: "double precision", nullable: true),
                    delta = table.Column<double>(type: "double precision", nullable: true),
                    gamma = table.Column<double>(type: "double precision", nullable: true),
                    theta = table.Column<double>(type: "double precision", nullable: true),
                    vega = table.Column<double>(type: "double precision", nullable: true),
                    underlying_price = table.Column<double>(type: "double precision", nullable: false),
                    source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_options_chain", x => new { x.occ_symbol, x.as_of });
                    table.CheckConstraint("ck_options_chain_strike_positive", "strike > 0");
                });

            migrationBuilder.CreateTable(
                name: "underlying_ohlc",
                schema: "market_data",
                columns: table => new
                {
                    symbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    interval = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    ts = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    open = table.Column<double>(type: "double precision", nullable: false),
                    high = table.Column<double>(type: "double precision", nullable: false),
                    low = table.Column<double>(type: "double precision", nullable: false),
                    close = table.Column<double>(type: "double precision", nullable: false),
                    volume = table.Column<long>(type: "bigint", nullable: false),
                    source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ingested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_underlying_ohlc", x => new { x.symbol, x.interval, x.ts });
                });

            migrationBuilder.CreateIndex(
                name: "ix_news_items_published_at",
                schema: "market_data",
                table: "news_items",
                column: "published_at");

            migrationBuilder.CreateIndex(
                name: "ix_news_items_tickers",
                schema: "market_data",
                table: "news_items",
                column: "tickers")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_options_chain_underlying_as_of",
                schema: "market_data",
                table: "options_chain",
                columns: new[] { "underlying", "as_of" });

            migrationBuilder.CreateIndex(
                name: "ix_options_chain_underlying_expiry_strike",
                schema: "market_data",
                table: "options_chain",
                columns: new[] { "underlying", "expiry", "strike" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "news_items",
                schema: "market_data");

            migrationBuilder.DropTable(
                name: "options_chain",
                schema: "market_data");

            migrationBuilder.DropTable(
                name: "underlying_ohlc",
                schema: "market_data");
        }
    }
}
