using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Npgsql;

namespace HuiHui.Modules.Monitoring.Features;

/// <summary>
/// Closes the open alert of a source and code, if there is one. One plain statement, not a context: every successful
/// fetch resolves its provider's alert, so this runs on a fresh process's critical path (a one-shot <c>analyze</c>), where
/// the context's first use (model, query translation) cost ~150 ms.
/// </summary>
internal sealed class ResolveAlertHandler(NpgsqlDataSource dataSource, TimeProvider time) : ICommandHandler<ResolveAlert>
{
    private const string Sql =
        $"UPDATE {MonitoringDbContext.HealthSchema}.alerts SET resolved_at = $1 WHERE source = $2 AND code = $3 AND resolved_at IS NULL";

    public async ValueTask<Unit> Handle(ResolveAlert command, CancellationToken cancellationToken)
    {
        await using var statement = dataSource.CreateCommand(Sql);
        statement.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        statement.Parameters.Add(new NpgsqlParameter<string> { TypedValue = command.Source });
        statement.Parameters.Add(new NpgsqlParameter<string> { TypedValue = command.Code });
        await statement.ExecuteNonQueryAsync(cancellationToken);
        return Unit.Value;
    }
}
