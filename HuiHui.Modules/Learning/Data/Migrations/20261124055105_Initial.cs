using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace HuiHui.Modules.Learning.Data.Migrations
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "training");

            migrationBuilder.CreateTable(
                name: "feature_vectors",
                schema: "training",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    symbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    as_of = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    schema_version = table.Column<int>(type: "integer", nullable: false),
                    values = table.Column<float[]>(type: "real[]", nullable: false),
                    regime = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_feature_vectors", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "model_checkpoints",
                schema: "training",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    model = table.Column<byte[]>(type: "bytea", nullable: false),
                    metrics = table.Column<string>(type: "jsonb", nullable: false),
                    feature_schema_version = table.Column<int>(type: "integer", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    promoted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_model_checkpoints", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "labeled_examples",
                schema: "training",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    feature_vector_id = table.Column<long>(type: "bigint", nullable: false),
                    symbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    as_of = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    horizon_seconds = table.Column<int>(type: "integer", nullable: false),
                    forward_return = table.Column<double>(type: "double precision", nullable: false),
                    direction = table.Column<short>(type: "smallint", nullable: false),
                    realized_vol_change = table.Column<double>(type: "double precision", nullable: true),
                    expert_outcomes = table.Column<string>(type: "jsonb", nullable: false),
                    labeled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_labeled_examples", x => x.id);
                    table.CheckConstraint("ck_labeled_examples_direction", "direction IN (-1, 0, 1)");
                    table.ForeignKey(
                        name: "fk_labeled_examples_feature_vectors_feature_vector_id",
                        column: x => x.feature_vector_id,
                        principalSchema: "training",
                        principalTable: "feature_vectors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_feature_vectors_as_of",
                schema: "training",
                table: "feature_vectors",
                column: "as_of");

            migrationBuilder.CreateIndex(
                name: "ix_feature_vectors_symbol_as_of_schema_version",
                schema: "training",
                table: "feature_vectors",
                columns: new[] { "symbol", "as_of", "schema_version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_labeled_examples_feature_vector_id_horizon_seconds",
                schema: "training",
                table: "labeled_examples",
                columns: new[] { "feature_vector_id", "horizon_seconds" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_labeled_examples_symbol_as_of",
                schema: "training",
                table: "labeled_examples",
                columns: new[] { "symbol", "as_of" });

            migrationBuilder.CreateIndex(
                name: "ix_model_checkpoints_kind_created_at",
                schema: "training",
                table: "model_checkpoints",
                columns: new[] { "kind", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_model_checkpoints_one_active_per_kind",
                schema: "training",
                table: "model_checkpoints",
                column: "kind",
                unique: true,
                filter: "status = 'Active'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "labeled_examples",
                schema: "training");

            migrationBuilder.DropTable(
                name: "model_checkpoints",
                schema: "training");

            migrationBuilder.DropTable(
                name: "feature_vectors",
                schema: "training");
        }
    }
}
