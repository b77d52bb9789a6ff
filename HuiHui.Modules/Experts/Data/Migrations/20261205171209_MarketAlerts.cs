using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace HuiHui.Modules.Experts.Data.Migrations
{
    /// <inheritdoc />
    internal sealed partial class MarketAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "alert_subscriptions",
                schema: "moe_analysis",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    symbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_subscriptions", x => new { x.user_id, x.symbol, x.kind });
                });

            migrationBuilder.CreateTable(
                name: "market_alerts",
                schema: "moe_analysis",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    symbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    message = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    level = table.Column<double>(type: "double precision", nullable: true),
                    as_of = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    raised_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_market_alerts", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_alert_subscriptions_symbol_kind",
                schema: "moe_analysis",
                table: "alert_subscriptions",
                columns: new[] { "symbol", "kind" });

            migrationBuilder.CreateIndex(
                name: "ix_market_alerts_raised_at",
                schema: "moe_analysis",
                table: "market_alerts",
                column: "raised_at");

            migrationBuilder.CreateIndex(
                name: "ix_market_alerts_symbol_kind_as_of",
                schema: "moe_analysis",
                table: "market_alerts",
                columns: new[] { "symbol", "kind", "as_of" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alert_subscriptions",
                schema: "moe_analysis");

            migrationBuilder.DropTable(
                name: "market_alerts",
                schema: "moe_analysis");
        }
    }
}
