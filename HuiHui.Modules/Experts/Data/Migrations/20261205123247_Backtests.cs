using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HuiHui.Modules.Experts.Data.Migrations
{
    /// <inheritdoc />
    internal sealed partial class Backtests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "backtests",
                schema: "moe_analysis",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    symbols = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false),
                    source = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    to = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    every_minutes = table.Column<int>(type: "integer", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    snapshots = table.Column<int>(type: "integer", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    report = table.Column<string>(type: "jsonb", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_backtests", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_backtests_requested_at",
                schema: "moe_analysis",
                table: "backtests",
                column: "requested_at");

            // One backtest queued or running at a time: the hub's start is refused by this index, not by a race.
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_backtests_one_active ON moe_analysis.backtests ((1)) WHERE status IN ('queued', 'running');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "backtests",
                schema: "moe_analysis");
        }
    }
}
