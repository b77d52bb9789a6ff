using HuiHui.Modules.Shared.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HuiHui.Modules.Monitoring.Data.Migrations
{
    /// <summary>Day partitions for the module's time series (issue 22); every row is moved over.</summary>
    internal sealed partial class Partitioned : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(DailyPartitions.ConvertSql(
                MonitoringDbContext.StageLatencies,
                """
                ALTER TABLE usage_stats.orchestrator_stats ADD CONSTRAINT pk_orchestrator_stats PRIMARY KEY (id, occurred_at);
                CREATE INDEX ix_orchestrator_stats_occurred_at ON usage_stats.orchestrator_stats USING brin (occurred_at);
                CREATE INDEX ix_orchestrator_stats_cycle_id ON usage_stats.orchestrator_stats (cycle_id);
                """,
                identityColumn: "id"));
            migrationBuilder.Sql(DailyPartitions.ConvertSql(
                MonitoringDbContext.Usage,
                """
                ALTER TABLE usage_stats.huihui_usage ADD CONSTRAINT pk_huihui_usage PRIMARY KEY (id, occurred_at);
                CREATE INDEX ix_huihui_usage_occurred_at ON usage_stats.huihui_usage USING brin (occurred_at);
                """,
                identityColumn: "id"));
            migrationBuilder.Sql(DailyPartitions.ConvertSql(
                MonitoringDbContext.Heartbeats,
                """
                ALTER TABLE system_health.uptime_logs ADD CONSTRAINT pk_uptime_logs PRIMARY KEY (id, heartbeat_at);
                CREATE INDEX ix_uptime_logs_component_heartbeat_at ON system_health.uptime_logs (component, heartbeat_at);
                """,
                identityColumn: "id"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            throw new NotSupportedException("Partitioned tables are not turned back into plain ones; restore a backup taken before the upgrade.");
    }
}
