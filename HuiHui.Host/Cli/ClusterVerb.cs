using System.Globalization;
using System.Text;
using HuiHui.Host.Hosting;
using HuiHui.Modules.Cluster.Contracts;

namespace HuiHui.Host.Cli;

/// <summary>
/// <c>huihui cluster status [--json]</c>: the nodes registered in PostgreSQL, their last heartbeat and the symbols each
/// holds. JSON: <c>{ "nodes": [ { "id", "url", "startedAt", "lastHeartbeat", "live", "symbols": [...] } ], "unleased": [...] }</c>.
/// Exit 1 when PostgreSQL cannot answer or has not been migrated.
/// </summary>
internal static class ClusterVerb
{
    public static async Task<int> StatusAsync(CliOutput output, CancellationToken cancellationToken)
    {
        using var host = CliHost.Build();
        try
        {
            var status = await host.SendAsync(new GetClusterStatus(), cancellationToken);
            return output.Ok(new ClusterStatusOutput(status.Nodes, status.Unleased), Describe);
        }
        catch (Npgsql.PostgresException error) when (error.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return output.Fail(HuiHuiCli.Failed, $"The database has no cluster tables yet ({error.MessageText}): run ./huihui.sh migrate first.");
        }
        catch (Exception error) when (error is Npgsql.NpgsqlException or InvalidOperationException { InnerException: Npgsql.NpgsqlException })
        {
            return output.Fail(HuiHuiCli.Failed, $"cannot read the cluster: PostgreSQL is unreachable ({error.GetBaseException().Message}).");
        }
    }

    private static string Describe(ClusterStatusOutput status)
    {
        var c = CultureInfo.InvariantCulture;
        if (status.Nodes.Count == 0)
        {
            return "no node registered (a node registers when it runs with HuiHui:Cluster:Enabled=true; see ./huihui.sh cluster up)";
        }

        var text = new StringBuilder();
        text.AppendLine(c, $"{"node",-24} {"url",-24} {"last heartbeat (UTC)",-22} {"state",-6} symbols");
        foreach (var node in status.Nodes)
        {
            text.AppendLine(c, $"{node.Id,-24} {node.Url ?? "-",-24} {node.LastHeartbeat.UtcDateTime,-22:yyyy-MM-dd HH:mm:ss} {(node.Live ? "live" : "gone"),-6} {node.Symbols.Count,3}: {string.Join(" ", node.Symbols)}");
        }

        if (status.Unleased.Count > 0)
        {
            text.AppendLine(c, $"held by no node right now: {string.Join(" ", status.Unleased)}");
        }

        return text.ToString().TrimEnd();
    }

    private sealed record ClusterStatusOutput(IReadOnlyList<ClusterNode> Nodes, IReadOnlyList<string> Unleased);
}
