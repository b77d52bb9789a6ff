using HuiHui.Modules.Shared.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Shared.Persistence;

/// <summary>Migrations of one module's EF Core context.</summary>
internal sealed class EfModuleDatabase<TContext>(IServiceScopeFactory scopes, string module, IReadOnlyList<string> schemas) : IModuleDatabase
    where TContext : DbContext
{
    public string Module => module;

    public IReadOnlyList<string> Schemas => schemas;

    public async Task<IReadOnlyList<string>> GetPendingMigrationsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await PendingAsync(scope.ServiceProvider.GetRequiredService<TContext>(), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var pending = await PendingAsync(context, cancellationToken);
        if (pending.Count > 0)
        {
            // History table first: otherwise EF probes for it with a query that fails (and logs an error) on a fresh schema.
            // A database that does not exist yet is left to MigrateAsync, which creates it.
            if (await context.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken))
            {
                await context.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
            }

            await context.Database.MigrateAsync(cancellationToken);
        }

        return pending;
    }

    // A fresh schema has no history table yet: every migration is pending, and asking EF would log a failed query.
    private static async Task<IReadOnlyList<string>> PendingAsync(TContext context, CancellationToken cancellationToken) =>
        await HistoryTableExistsAsync(context, cancellationToken)
            ? [.. await context.Database.GetPendingMigrationsAsync(cancellationToken)]
            : [.. context.Database.GetMigrations()];

    /// <summary>
    /// Whether the context's migrations history table exists, asked of the catalog (<c>to_regclass</c>). The history
    /// repository's own check answered true on a fresh database here, and the query that followed failed and was logged as an
    /// error for every module on a first <c>migrate</c> (issue 22) — alarming for a step that was going fine.
    /// </summary>
    private static async Task<bool> HistoryTableExistsAsync(TContext context, CancellationToken cancellationToken)
    {
        if (!await context.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken))
        {
            return false;
        }

        var options = context.GetService<IDbContextOptions>().Extensions.OfType<RelationalOptionsExtension>().First();
        var table = options.MigrationsHistoryTableName ?? HistoryRepository.DefaultTableName;
        var name = options.MigrationsHistoryTableSchema is { } schema ? $"\"{schema}\".\"{table}\"" : $"\"{table}\"";
        var connection = context.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT to_regclass(@name) IS NOT NULL";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "name";
            parameter.Value = name;
            command.Parameters.Add(parameter);
            return await command.ExecuteScalarAsync(cancellationToken) is true;
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }
}
