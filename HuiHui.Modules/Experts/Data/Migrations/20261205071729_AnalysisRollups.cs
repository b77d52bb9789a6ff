using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HuiHui.Modules.Experts.Data.Migrations
{
    /// <inheritdoc />
    internal sealed partial class AnalysisRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "analysis_hourly",
                schema: "moe_analysis",
                columns: table => new
                {
                    symbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cycles = table.Column<long>(type: "bigint", nullable: false),
                    bullish = table.Column<long>(type: "bigint", nullable: false),
                    bearish = table.Column<long>(type: "bigint", nullable: false),
                    neutral = table.Column<long>(type: "bigint", nullable: false),
                    mean_conviction = table.Column<double>(type: "double precision", nullable: false),
                    regimes = table.Column<string>(type: "jsonb", nullable: false),
                    mean_gex = table.Column<double>(type: "double precision", nullable: true),
                    mean_flip_distance = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_analysis_hourly", x => new { x.symbol, x.hour });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "analysis_hourly",
                schema: "moe_analysis");
        }
    }
}
