using Mediator;

namespace HuiHui.Modules.Cluster.Contracts;

/// <summary>The nodes registered in <c>cluster.nodes</c>, newest heartbeat first, each with the symbols it holds.</summary>
public sealed record GetClusterStatus : IQuery<ClusterStatus>;

/// <param name="Enabled">Whether this node takes part in a cluster (<c>HuiHui:Cluster:Enabled</c>).</param>
/// <param name="NodeId">This node.</param>
/// <param name="Nodes">Every registered node.</param>
/// <param name="Unleased">Watch-list symbols no live node holds right now (briefly, while a lease moves).</param>
public sealed record ClusterStatus(bool Enabled, string NodeId, IReadOnlyList<ClusterNode> Nodes, IReadOnlyList<string> Unleased);

/// <param name="Id">The node's id.</param>
/// <param name="Url">Where its hub answers.</param>
/// <param name="LastHeartbeat">Its last lease renewal (database time).</param>
/// <param name="Live">Renewed within one lease: it holds its symbols.</param>
/// <param name="Symbols">The symbols it holds, in order.</param>
public sealed record ClusterNode(string Id, string? Url, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, bool Live, IReadOnlyList<string> Symbols);

/// <summary>The Redis settings every node's clients share (the cache's pub/sub and the host's SignalR backplane).</summary>
public static class ClusterRedis
{
    /// <summary>The connection string's name: <c>ConnectionStrings:Redis</c> (none: one node, no backplane).</summary>
    public const string ConnectionStringName = "Redis";

    /// <summary>
    /// Options from a connection string: never fail at start when Redis is down (<c>abortConnect=false</c>), reconnect by
    /// themselves, and fail commands at once while disconnected rather than queue them (nothing waits on Redis).
    /// </summary>
    public static StackExchange.Redis.ConfigurationOptions Options(string connectionString)
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = StackExchange.Redis.BacklogPolicy.FailFast;
        options.ConnectTimeout = 2_000;
        options.ClientName ??= "huihui";
        return options;
    }
}
