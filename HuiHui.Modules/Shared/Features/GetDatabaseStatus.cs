using System.Net.Sockets;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Npgsql;

namespace HuiHui.Modules.Shared.Features;

internal sealed class GetDatabaseStatusHandler(IEnumerable<IModuleDatabase> databases) : IQueryHandler<GetDatabaseStatus, DatabaseStatus>
{
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
