using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace HuiHui.Modules.Cluster.Leases;

/// <summary>What this node would fetch: Ingestion's watch-list and interval.</summary>
internal interface IWatchListSource
{
    ValueTask<WatchListSettings> GetAsync(CancellationToken cancellationToken);
}

internal sealed class IngestionWatchList(IServiceScopeFactory scopes) : IWatchListSource
{
    public async ValueTask<WatchListSettings> GetAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetWatchList(), cancellationToken);
    }
}

/// <summary>
/// Registers this node and keeps its share of the symbols, four renewals per lease. Each renewal is one transaction under
/// one advisory lock (the nodes take turns): heartbeat; drop expired leases and this node's leases on symbols it no
/// longer watches; renew the rest; release what is above this node's share or claim unheld symbols up to it. The share:
/// the symbols the live nodes watch, divided by the live nodes that fetch, the remainder to the first by id — so a node
/// joining takes its share and a node gone silent is replaced within one lease plus one renewal.
/// </summary>
internal sealed partial class LeaseKeeper(
    NpgsqlDataSource dataSource,
    HeldLeases held,
    IWatchListSource watchList,
    ClusterAlerts alerts,
    IOptions<ClusterOptions> options,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<LeaseKeeper> logger) : BackgroundService
{
    private readonly DateTimeOffset startedAt = time.GetUtcNow();
    private bool failing;

    /// <summary>The lease length of the last renewal (from the ingestion interval).</summary>
    public TimeSpan Lease { get; private set; } = options.Value.MinimumLease;

    /// <summary>Renewals done (for tests and the health page).</summary>
    public long Renewals { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RenewOnceAsync(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogRenewalFailed(logger, error, held.NodeId); // never stops the node: the next renewal tries again
            }

            try
            {
                await Task.Delay(Lease / 4, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await ReleaseAllAsync(cancellationToken);
    }

    /// <summary>One renewal. Public for tests, which drive nodes renewal by renewal.</summary>
    public async Task RenewOnceAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var watch = await watchList.GetAsync(cancellationToken);

            Lease = TimeSpan.FromTicks(Math.Max(options.Value.MinimumLease.Ticks, (long)(watch.Interval.Ticks * options.Value.LeaseIntervals)));
            string[] symbols = watch.Enabled ? [.. watch.Symbols] : [];
            var versions = await RenewAsync(symbols, cancellationToken);
            Report(versions);
            held.Confirm(versions, started, Lease);
            Renewals++;
            if (failing)
            {
                failing = false;
                LogRecovered(logger, held.NodeId);
                await alerts.ResolveAsync("leases-unconfirmed", cancellationToken);
            }
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            held.KeepUnconfirmed();
            if (!failing)
            {
                failing = true;
                LogUnconfirmed(logger, error, held.NodeId, held.Symbols.Count);
                await alerts.RaiseAsync("leases-unconfirmed", AlertSeverity.Warning,
                    $"Node {held.NodeId} cannot renew its leases ({error.Message}); it keeps its {held.Symbols.Count} symbols until the database answers.", cancellationToken);
            }
        }
    }

    private async Task<Dictionary<string, long>> RenewAsync(string[] symbols, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var renew = new NpgsqlBatch(connection, transaction))
        {
            renew.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtext('cluster.leases'))"));
            renew.BatchCommands.Add(Command("""
                INSERT INTO cluster.nodes (id, url, started_at, heartbeat_at, lease, watch_list) VALUES ($1, $2, $3, now(), $4, $5)
                ON CONFLICT (id) DO UPDATE SET url = excluded.url, heartbeat_at = now(), lease = excluded.lease, watch_list = excluded.watch_list
                """, Id(), Url(), Started(), LeaseParameter(), Symbols(symbols)));
            renew.BatchCommands.Add(Command("DELETE FROM cluster.leases WHERE expires_at < now() OR (node_id = $1 AND NOT (symbol = ANY($2)))", Id(), Symbols(symbols)));
            renew.BatchCommands.Add(Command("UPDATE cluster.leases SET expires_at = now() + $2 WHERE node_id = $1", Id(), LeaseParameter()));
            renew.BatchCommands.Add(Command("DELETE FROM cluster.nodes WHERE heartbeat_at < now() - $1", new NpgsqlParameter { Value = options.Value.ForgetNodesAfter }));
            await renew.ExecuteNonQueryAsync(cancellationToken);
        }

        var share = 0L;
        var mine = 0L;
        await using (var count = Command(connection, transaction, """
            WITH live AS (SELECT id, watch_list FROM cluster.nodes WHERE heartbeat_at > now() - lease),
                 workers AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rank, count(*) OVER () AS n FROM live WHERE cardinality(watch_list) > 0),
                 wanted AS (SELECT count(DISTINCT s) AS total FROM live, unnest(live.watch_list) AS u(s))
            SELECT coalesce((SELECT w.total / me.n + CASE WHEN me.rank < w.total % me.n THEN 1 ELSE 0 END FROM workers me, wanted w WHERE me.id = $1), 0),
                   (SELECT count(*) FROM cluster.leases WHERE node_id = $1)
            """, Id()))
        await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            share = reader.GetInt64(0);
            mine = reader.GetInt64(1);
        }

        if (mine > share)
        {
            // Newest first: the symbols held longest stay where their history (compass readings, flow tape) is.
            await using var release = Command(connection, transaction, """
                DELETE FROM cluster.leases WHERE symbol IN
                  (SELECT symbol FROM cluster.leases WHERE node_id = $1 ORDER BY acquired_at DESC, symbol LIMIT $2)
                """, Id(), new NpgsqlParameter { Value = mine - share });
            await release.ExecuteNonQueryAsync(cancellationToken);
        }
        else if (mine < share && symbols.Length > 0)
        {
            await using var claim = Command(connection, transaction, $"""
                INSERT INTO cluster.leases (symbol, node_id, version, acquired_at, expires_at)
                SELECT s, $1, nextval('cluster.lease_version'), now(), now() + $3
                FROM unnest($2::text[]) AS u(s)
                WHERE NOT EXISTS (SELECT 1 FROM cluster.leases l WHERE l.symbol = s)
                ORDER BY hashtext(s), s
                LIMIT $4
                """, Id(), Symbols(symbols), LeaseParameter(), new NpgsqlParameter { Value = share - mine });
            await claim.ExecuteNonQueryAsync(cancellationToken);
        }

        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var read = Command(connection, transaction, "SELECT symbol, version FROM cluster.leases WHERE node_id = $1", Id()))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                versions[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return versions;
    }

    /// <summary>On the way out: this node's symbols go to the others at their next renewal, not after a lease.</summary>
    private async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        held.Clear();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
            await using var release = new NpgsqlBatch(connection)
            {
                BatchCommands = { Command("DELETE FROM cluster.leases WHERE node_id = $1", Id()), Command("DELETE FROM cluster.nodes WHERE id = $1", Id()) },
            };
            await release.ExecuteNonQueryAsync(timeout.Token);
            LogReleased(logger, held.NodeId);
        }
        catch (Exception error) when (error is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            LogReleaseFailed(logger, error, held.NodeId);
        }
    }

    private void Report(Dictionary<string, long> versions)
    {
        var before = held.Symbols;
        var gained = versions.Keys.Where(s => !before.ContainsKey(s)).Order(StringComparer.Ordinal).ToList();
        var lost = before.Keys.Where(s => !versions.ContainsKey(s)).Order(StringComparer.Ordinal).ToList();
        if (gained.Count > 0 || lost.Count > 0)
        {
            LogChanged(logger, held.NodeId, versions.Count, gained.Count == 0 ? "-" : string.Join(",", gained), lost.Count == 0 ? "-" : string.Join(",", lost));
        }
    }

    private NpgsqlParameter Id() => new() { Value = held.NodeId };

    private NpgsqlParameter Url() => new() { Value = (object?)(options.Value.Url ?? configuration["urls"]?.Split(';')[0]) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private NpgsqlParameter Started() => new() { Value = startedAt };

    private NpgsqlParameter LeaseParameter() => new() { Value = Lease };

    private static NpgsqlParameter Symbols(string[] symbols) => new() { Value = symbols, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters);
        return command;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} holds {Count} symbols; gained {Gained}, lost {Lost}")]
    private static partial void LogChanged(ILogger logger, string node, int count, string gained, string lost);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} cannot renew its leases; it keeps its {Count} symbols until the database answers")]
    private static partial void LogUnconfirmed(ILogger logger, Exception exception, string node, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Node {Node}: a lease renewal failed unexpectedly")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} renews its leases again")]
    private static partial void LogRecovered(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} released its symbols")]
    private static partial void LogReleased(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} could not release its symbols on the way out; they move when its leases expire")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string node);

}
