using HuiHui.Modules.Cluster.Contracts;
using HuiHui.Modules.Cluster.Leases;
using Mediator;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HuiHui.Modules.Cluster.Features;

/// <summary>The registered nodes with their held symbols, and the watched symbols no live node holds; one statement.</summary>
internal sealed class GetClusterStatusHandler(NpgsqlDataSource dataSource, HeldLeases held, IOptions<ClusterOptions> options)
    : IQueryHandler<GetClusterStatus, ClusterStatus>
{
    public async ValueTask<ClusterStatus> Handle(GetClusterStatus query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT n.id, n.url, n.started_at, n.heartbeat_at, n.heartbeat_at > now() - n.lease,
                   coalesce((SELECT array_agg(l.symbol ORDER BY l.symbol) FROM cluster.leases l WHERE l.node_id = n.id AND l.expires_at >= now()), '{}'),
                   coalesce((SELECT array_agg(DISTINCT s ORDER BY s) FROM cluster.nodes o, unnest(o.watch_list) AS u(s)
                             WHERE o.heartbeat_at > now() - o.lease AND NOT EXISTS (SELECT 1 FROM cluster.leases l WHERE l.symbol = s AND l.expires_at >= now())), '{}')
            FROM cluster.nodes n
            ORDER BY n.heartbeat_at DESC, n.id
            """);
        var nodes = new List<ClusterNode>();
        string[] unleased = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            nodes.Add(new ClusterNode(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetBoolean(4), reader.GetFieldValue<string[]>(5)));
            unleased = reader.GetFieldValue<string[]>(6);
        }

        return new ClusterStatus(options.Value.Enabled, held.NodeId, nodes, unleased);
    }
}
