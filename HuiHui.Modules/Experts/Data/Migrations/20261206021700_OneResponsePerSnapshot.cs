using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HuiHui.Modules.Experts.Data.Migrations
{
    /// <summary>
    /// One response per (symbol, as-of, expert): duplicates written before (the same snapshot analysed by the cycle and an
    /// on-demand run) are removed, the first written kept, then the unique index makes a second write of a cycle impossible.
    /// </summary>
    internal sealed partial class OneResponsePerSnapshot : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DELETE FROM moe_analysis.expert_responses r
                USING (SELECT id, as_of, row_number() OVER (PARTITION BY symbol, as_of, expert_id ORDER BY created_at, id) AS n
                       FROM moe_analysis.expert_responses) d
                WHERE d.n > 1 AND r.id = d.id AND r.as_of = d.as_of
                """);
            migrationBuilder.CreateIndex(
                name: "ix_expert_responses_symbol_as_of_expert_id",
                schema: "moe_analysis",
                table: "expert_responses",
                columns: new[] { "symbol", "as_of", "expert_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_expert_responses_symbol_as_of_expert_id",
                schema: "moe_analysis",
                table: "expert_responses");
        }
    }
}
