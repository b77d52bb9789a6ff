using Hangfire.PostgreSql;
using HuiHui.Modules.Shared.Contracts;
using Npgsql;

namespace HuiHui.Host.Jobs;

/// <summary>
/// Hangfire's own tables in schema <c>hangfire</c>, installed by <c>huihui migrate</c> alongside the modules'
/// (the storage itself never installs them, so a database that is down at start cannot crash the host).
/// </summary>
internal sealed class HangfireDatabase(NpgsqlDataSource dataSource) : IModuleDatabase
{
    public const string Schema = "hangfire";

    public string Module => "hangfire";

    public IReadOnlyList<string> Schemas { get; } = [Schema];

    public async Task<IReadOnlyList<string>> GetPendingMigrationsAsync(CancellationToken cancellationToken) =>
        await InstalledVersionAsync(cancellationToken) is null ? ["hangfire-schema"] : [];

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        var before = await InstalledVersionAsync(cancellationToken);
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            // Idempotent: applies only the upgrade scripts newer than the installed version.
            PostgreSqlObjectsInstaller.Install(connection, Schema);
        }

        var after = await InstalledVersionAsync(cancellationToken);
        return before == after ? [] : [$"hangfire-schema-v{after}"];
    }

    private async Task<int?> InstalledVersionAsync(CancellationToken cancellationToken)
    {
        await using (var exists = dataSource.CreateCommand("SELECT to_regclass('hangfire.schema') IS NOT NULL"))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return null;
            }
        }

        await using var command = dataSource.CreateCommand("SELECT max(version) FROM hangfire.schema");
        return await command.ExecuteScalarAsync(cancellationToken) is int version ? version : null;
    }
}

/// <summary>Hangfire connections come from the same pooled data source as everything else.</summary>
internal sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
}
