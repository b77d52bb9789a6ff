using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Persistence;
using Mediator;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HuiHui.Modules.Shared.Features;

internal sealed class MigrateDatabasesHandler(
    IEnumerable<IModuleDatabase> databases,
    IEnumerable<TimeSeriesTable> timeSeries,
    NpgsqlDataSource dataSource,
    TimeProvider time,
    ILogger<MigrateDatabasesHandler> logger)
    : ICommandHandler<MigrateDatabases, MigrationReport>
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

        // Today's and tomorrow's partitions, so writes land in day partitions from the first one (the hourly retention job
        // keeps creating them ahead). Quiet and idempotent: a second migrate creates nothing.
        if (timeSeries.Any())
        {
            var today = DailyPartitions.DayOf(time.GetUtcNow());
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            foreach (var table in timeSeries)
            {
                await DailyPartitions.CreateAsync(connection, table, today, cancellationToken);
                await DailyPartitions.CreateAsync(connection, table, today.AddDays(1), cancellationToken);
            }
        }

        return new MigrationReport(results);
    }
}
