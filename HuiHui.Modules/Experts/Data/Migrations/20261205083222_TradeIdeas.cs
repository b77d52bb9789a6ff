using System;
using HuiHui.Modules.Shared.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HuiHui.Modules.Experts.Data.Migrations
{
    /// <inheritdoc />
    internal sealed partial class TradeIdeas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "trade_ideas",
                schema: "moe_analysis",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    opened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    symbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    strategy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    conviction = table.Column<double>(type: "double precision", nullable: false),
                    regime = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    idea = table.Column<string>(type: "jsonb", nullable: false),
                    marked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    exit_spot = table.Column<double>(type: "double precision", nullable: true),
                    pnl = table.Column<double>(type: "double precision", nullable: true),
                    pnl_natural = table.Column<double>(type: "double precision", nullable: true),
                    r = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trade_ideas", x => new { x.id, x.opened_at });
                });

            // Day partitions on opened_at, like the other time series (created empty, so nothing to move).
            migrationBuilder.Sql(DailyPartitions.ConvertSql(
                ExpertsDbContext.Ideas,
                """
                ALTER TABLE moe_analysis.trade_ideas ADD CONSTRAINT pk_trade_ideas PRIMARY KEY (id, opened_at);
                CREATE INDEX ix_trade_ideas_closed_at ON moe_analysis.trade_ideas (closed_at);
                CREATE INDEX ix_trade_ideas_symbol_closed_at ON moe_analysis.trade_ideas (symbol, closed_at);
                """));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "trade_ideas",
                schema: "moe_analysis");
        }
    }
}
