using System.Net.Sockets;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HuiHui.Modules.Shared.Persistence;

internal sealed class MigrateDatabasesHandler(IEnumerable<IModuleDatabase> databases, ILogger<MigrateDatabasesHandler> logger)
    : ICommandHandler<MigrateDatabases, MigrationReport>, IQueryHandler<GetDatabaseStatus, DatabaseStatus>
{
    public async ValueTask<MigrationReport> Handle(MigrateDatabases command, CancellationToken cancellationToken)
    {
        var results = new List<ModuleMigrations>();
        foreach (var database in databases)
        {
            var applied = await database.MigrateAsync(cancellationToken);
            if (applied.Count > 0)
            {
                logger.LogInformation("Applied {Count} migration(s) to {Module}: {Migrations}", applied.Count, database.Module, string.Join(", ", applied));
            }

            results.Add(new ModuleMigrations(database.Module, database.Schemas, applied));
        }

        return new MigrationReport(results);
    }

    public async ValueTask<DatabaseStatus> Handle(GetDatabaseStatus query, CancellationToken cancellationToken)
    {
        var behind = new List<ModuleMigrations>();
        try
        {
            foreach (var database in databases)
            {
                var pending = await database.GetPendingMigrationsAsync(cancellationToken);
                if (pending.Count > 0)
                {
                    behind.Add(new ModuleMigrations(database.Module, database.Schemas, pending));
                }
            }
        }
        catch (Exception exception) when (IsUnreachable(exception))
        {
            return new DatabaseStatus(false, exception.GetBaseException().Message, []);
        }

        return new DatabaseStatus(true, null, behind);
    }

    private static bool IsUnreachable(Exception exception) =>
        exception is NpgsqlException or TimeoutException or SocketException ||
        (exception is InvalidOperationException && exception.GetBaseException() is NpgsqlException or SocketException or TimeoutException);
}
