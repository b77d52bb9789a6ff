using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HuiHui.Modules.Experts.Data.Migrations
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "moe_analysis");

            migrationBuilder.CreateTable(
                name: "expert_responses",
                schema: "moe_analysis",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cycle_id = table.Column<Guid>(type: "uuid", nullable: false),
                    expert_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    symbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    details = table.Column<string>(type: "jsonb", nullable: false),
                    confidence = table.Column<double>(type: "double precision", nullable: false),
                    as_of = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_expert_responses", x => x.id);
                    table.CheckConstraint("ck_expert_responses_confidence_unit", "confidence >= 0 AND confidence <= 1");
                });

            migrationBuilder.CreateIndex(
                name: "ix_expert_responses_cycle_id",
                schema: "moe_analysis",
                table: "expert_responses",
                column: "cycle_id");

            migrationBuilder.CreateIndex(
                name: "ix_expert_responses_expert_id_created_at",
                schema: "moe_analysis",
                table: "expert_responses",
                columns: new[] { "expert_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_expert_responses_symbol_created_at",
                schema: "moe_analysis",
                table: "expert_responses",
                columns: new[] { "symbol", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "expert_responses",
                schema: "moe_analysis");
        }
    }
}
