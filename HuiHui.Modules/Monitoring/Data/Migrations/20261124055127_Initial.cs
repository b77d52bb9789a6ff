using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace HuiHui.Modules.Monitoring.Data.Migrations
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "system_health");

            migrationBuilder.EnsureSchema(
                name: "usage_stats");

            migrationBuilder.CreateTable(
                name: "alerts",
                schema: "system_health",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    severity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    source = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    message = table.Column<string>(type: "text", nullable: false),
                    first_seen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_seen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alerts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "huihui_usage",
                schema: "usage_stats",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    model = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    prompt_tokens = table.Column<int>(type: "integer", nullable: true),
                    completion_tokens = table.Column<int>(type: "integer", nullable: true),
                    latency_ms = table.Column<double>(type: "double precision", nullable: false),
                    success = table.Column<bool>(type: "boolean", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_huihui_usage", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "orchestrator_stats",
                schema: "usage_stats",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    cycle_id = table.Column<Guid>(type: "uuid", nullable: false),
                    symbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    stage = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    latency_ms = table.Column<double>(type: "double precision", nullable: false),
                    item_count = table.Column<int>(type: "integer", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_orchestrator_stats", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "uptime_logs",
                schema: "system_health",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    component = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    detail = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_uptime_logs", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_alerts_last_seen",
                schema: "system_health",
                table: "alerts",
                column: "last_seen");

            migrationBuilder.CreateIndex(
                name: "ux_alerts_open_source_code",
                schema: "system_health",
                table: "alerts",
                columns: new[] { "source", "code" },
                unique: true,
                filter: "resolved_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_huihui_usage_name_occurred_at",
                schema: "usage_stats",
                table: "huihui_usage",
                columns: new[] { "name", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_huihui_usage_occurred_at",
                schema: "usage_stats",
                table: "huihui_usage",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_orchestrator_stats_cycle_id",
                schema: "usage_stats",
                table: "orchestrator_stats",
                column: "cycle_id");

            migrationBuilder.CreateIndex(
                name: "ix_orchestrator_stats_occurred_at",
                schema: "usage_stats",
                table: "orchestrator_stats",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_orchestrator_stats_stage_occurred_at",
                schema: "usage_stats",
                table: "orchestrator_stats",
                columns: new[] { "stage", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_uptime_logs_component_heartbeat_at",
                schema: "system_health",
                table: "uptime_logs",
                columns: new[] { "component", "heartbeat_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alerts",
                schema: "system_health");

            migrationBuilder.DropTable(
                name: "huihui_usage",
                schema: "usage_stats");

            migrationBuilder.DropTable(
                name: "orchestrator_stats",
                schema: "usage_stats");

            migrationBuilder.DropTable(
                name: "uptime_logs",
                schema: "system_health");
        }
    }
}
