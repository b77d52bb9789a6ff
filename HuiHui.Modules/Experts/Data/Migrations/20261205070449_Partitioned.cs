using HuiHui.Modules.Shared.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HuiHui.Modules.Experts.Data.Migrations
{
    /// <summary>Day partitions for the module's time series (issue 22); every row is moved over.</summary>
    internal sealed partial class Partitioned : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "call", schema: "moe_analysis", table: "expert_responses", type: "character varying(200)", maxLength: 200, nullable: true);
            migrationBuilder.Sql(DailyPartitions.ConvertSql(
                ExpertsDbContext.Responses,
                """
                ALTER TABLE moe_analysis.expert_responses ADD CONSTRAINT pk_expert_responses PRIMARY KEY (id, as_of);
                CREATE INDEX ix_expert_responses_as_of_id ON moe_analysis.expert_responses (as_of, id);
                CREATE INDEX ix_expert_responses_symbol_as_of_id ON moe_analysis.expert_responses (symbol, as_of, id);
                CREATE INDEX ix_expert_responses_cycle_id ON moe_analysis.expert_responses (cycle_id);
                """,
                selectList: """
                    id, cycle_id, expert_id, symbol, details, confidence, as_of, created_at,
                    left(CASE expert_id
                        WHEN 'regime' THEN (details->>'regime') || ' · gamma ' || (details->>'dealerGamma')
                        WHEN 'meta' THEN (details->>'bias') || ' · ' || (details->>'strategy')
                        ELSE (details->>'bias') || ' · score ' || to_char((details->>'score')::float8, 'FM990.00')
                    END, 200)
                    """));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            throw new NotSupportedException("Partitioned tables are not turned back into plain ones; restore a backup taken before the upgrade.");
    }
}
