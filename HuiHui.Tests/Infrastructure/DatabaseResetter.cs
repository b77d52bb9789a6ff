using Npgsql;
using Respawn;
using Respawn.Graph;

namespace HuiHui.Tests.Infrastructure;

/// <summary>Empties every module table between tests; migration history and Hangfire's tables are kept.</summary>
internal sealed class DatabaseResetter(string connectionString, Respawner respawner)
{
    public static readonly string[] ModuleSchemas =
        ["market_data", "moe_analysis", "training", "education", "usage_stats", "system_health", "identity", "cluster"];

    public static async Task<DatabaseResetter> CreateAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ModuleSchemas,
            TablesToIgnore = [new Table("__EFMigrationsHistory")],
        });
        return new DatabaseResetter(connectionString, respawner);
    }

    /// <summary>Deletes every row; a deadlock with a background writer of the previous test (its victim is this reset) is retried.</summary>
    public async Task ResetAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await respawner.ResetAsync(connection);
                return;
            }
            catch (PostgresException deadlock) when (deadlock.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }
}
