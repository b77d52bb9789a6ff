using HuiHui.Modules.Shared.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HuiHui.Modules.Learning.Data.Migrations
{
    /// <summary>Day partitions for the module's time series (issue 22); every row is moved over.</summary>
    internal sealed partial class Partitioned : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(name: "fk_labeled_examples_feature_vectors_feature_vector_id", schema: "training", table: "labeled_examples");
            migrationBuilder.Sql(DailyPartitions.ConvertSql(
                LearningDbContext.Features,
                """
                ALTER TABLE training.feature_vectors ADD CONSTRAINT pk_feature_vectors PRIMARY KEY (id, as_of);
                CREATE UNIQUE INDEX ix_feature_vectors_symbol_as_of_schema_version ON training.feature_vectors (symbol, as_of, schema_version);
                CREATE INDEX ix_feature_vectors_as_of ON training.feature_vectors (as_of);
                """,
                identityColumn: "id"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            throw new NotSupportedException("Partitioned tables are not turned back into plain ones; restore a backup taken before the upgrade.");
    }
}
