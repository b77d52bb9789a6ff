using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HuiHui.Modules.Experts.Data.Migrations
{
    /// <inheritdoc />
    internal sealed partial class IdeaGates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "idea_gates",
                schema: "moe_analysis",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    trained_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    report = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idea_gates", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_idea_gates_trained_at",
                schema: "moe_analysis",
                table: "idea_gates",
                column: "trained_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "idea_gates",
                schema: "moe_analysis");
        }
    }
}
