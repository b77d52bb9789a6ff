using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Shared.Persistence;

internal sealed class MigrateDatabasesHandler(IEnumerable<IModuleDatabase> databases, ILogger<MigrateDatabasesHandler> logger)
    : ICommandHandler<MigrateDatabases, MigrationReport>, IQueryHandler<GetMigrationStatus, MigrationReport>
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

    public async ValueTask<MigrationReport> Handle(GetMigrationStatus query, CancellationToken cancellationToken)
    {
        var results = new List<ModuleMigrations>();
        foreach (var database in databases)
        {
            results.Add(new ModuleMigrations(database.Module, database.Schemas, await database.GetPendingMigrationsAsync(cancellationToken)));
        }

        return new MigrationReport(results);
    }
}
