using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HuiHui.Modules.Monitoring.Data.Migrations
{
    /// <inheritdoc />
    internal sealed partial class HourlyRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "stage_hourly",
                schema: "usage_stats",
                columns: table => new
                {
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    stage = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false),
                    p50 = table.Column<double>(type: "double precision", nullable: false),
                    p95 = table.Column<double>(type: "double precision", nullable: false),
                    p99 = table.Column<double>(type: "double precision", nullable: false),
                    max = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stage_hourly", x => new { x.hour, x.stage });
                });

            migrationBuilder.CreateTable(
                name: "usage_hourly",
                schema: "usage_stats",
                columns: table => new
                {
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    calls = table.Column<long>(type: "bigint", nullable: false),
                    failures = table.Column<long>(type: "bigint", nullable: false),
                    prompt_tokens = table.Column<long>(type: "bigint", nullable: false),
                    completion_tokens = table.Column<long>(type: "bigint", nullable: false),
                    mean_latency_ms = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_hourly", x => new { x.hour, x.kind, x.name });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "stage_hourly",
                schema: "usage_stats");

            migrationBuilder.DropTable(
                name: "usage_hourly",
                schema: "usage_stats");
        }
    }
}
