using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HuiHui.Modules.Experts.Data.Migrations
{
    /// <summary>
    /// The read-only analyst role <c>huihui_analyst</c> (NOLOGIN: grant it to login roles) and row-level security on every
    /// analysis table of <c>moe_analysis</c>: the analyst may read every row and write none; the role that migrates (the
    /// application's) keeps full access through its own policy, whether or not it owns the tables. A migrating role that
    /// may not create roles (a restricted managed database) skips the role with a notice: an administrator creates it and
    /// runs the grants of docs/operations.md ("Database roles").
    /// </summary>
    internal sealed partial class AnalystRole : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                DECLARE t record;
                BEGIN
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'huihui_analyst') THEN
                    BEGIN
                      CREATE ROLE huihui_analyst NOLOGIN;
                    EXCEPTION WHEN insufficient_privilege THEN
                      RAISE NOTICE 'huihui_analyst not created (no CREATEROLE): see docs/operations.md, "Database roles"';
                    END;
                  END IF;

                  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = 'moe_analysis' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                             AND c.relname <> '__EFMigrationsHistory' LOOP
                    EXECUTE format('ALTER TABLE moe_analysis.%I ENABLE ROW LEVEL SECURITY', t.relname);
                    EXECUTE format('DROP POLICY IF EXISTS application_all ON moe_analysis.%I', t.relname);
                    EXECUTE format('CREATE POLICY application_all ON moe_analysis.%I FOR ALL TO %I USING (true) WITH CHECK (true)', t.relname, current_user);
                    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'huihui_analyst') THEN
                      EXECUTE format('DROP POLICY IF EXISTS analyst_read ON moe_analysis.%I', t.relname);
                      EXECUTE format('CREATE POLICY analyst_read ON moe_analysis.%I FOR SELECT TO huihui_analyst USING (true)', t.relname);
                    END IF;
                  END LOOP;

                  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'huihui_analyst') THEN
                    GRANT USAGE ON SCHEMA moe_analysis TO huihui_analyst;
                    GRANT SELECT ON ALL TABLES IN SCHEMA moe_analysis TO huihui_analyst;
                    ALTER DEFAULT PRIVILEGES IN SCHEMA moe_analysis GRANT SELECT ON TABLES TO huihui_analyst;
                  END IF;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                DECLARE t record;
                BEGIN
                  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = 'moe_analysis' AND c.relkind IN ('r', 'p') AND NOT c.relispartition LOOP
                    EXECUTE format('DROP POLICY IF EXISTS analyst_read ON moe_analysis.%I', t.relname);
                    EXECUTE format('DROP POLICY IF EXISTS application_all ON moe_analysis.%I', t.relname);
                    EXECUTE format('ALTER TABLE moe_analysis.%I DISABLE ROW LEVEL SECURITY', t.relname);
                  END LOOP;
                  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'huihui_analyst') THEN
                    REVOKE SELECT ON ALL TABLES IN SCHEMA moe_analysis FROM huihui_analyst;
                    REVOKE USAGE ON SCHEMA moe_analysis FROM huihui_analyst;
                    ALTER DEFAULT PRIVILEGES IN SCHEMA moe_analysis REVOKE SELECT ON TABLES FROM huihui_analyst;
                  END IF;
                END $$;
                """);
        }
    }
}
