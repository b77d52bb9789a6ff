using Hangfire;
using HuiHui.Modules.Cluster.Contracts;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HuiHui.Tests.Cluster;

/// <summary>
/// PostgreSQL away with three nodes: every node keeps its symbols (no node can take one without the database), keeps
/// analysing and spools; when the database is back nothing is missing (a second write of a cycle is impossible: the unique
/// key on symbol, as-of and expert). The documented run
/// (docs/performance.md, "Several nodes") takes it away for 60 s; here for 10 s, on a 1-second cadence.
/// </summary>
[NonParallelizable]
public sealed class ClusterDatabaseOutageTests
{
    private static readonly string[] Symbols = ["SPY", "QQQ", "IWM", "AAPL", "MSFT", "NVDA"];

    [Test]
    public async Task ThreeNodes_ThePostgreSqlGoneForTenSeconds_LoseNothing()
    {
        var connectionString = await TestDatabase.CreateAsync("huihui_outage");
        var nodes = new List<HuiHuiFactory>();
        var proxy = new TcpProxy("127.0.0.1", new NpgsqlConnectionStringBuilder(connectionString).Port);
        try
        {
            var migrate = await CliProcess.RunAsync(connectionString, "migrate");
            Assert.That(migrate.ExitCode, Is.Zero, migrate.StandardError);
            proxy.Start();
            var throughProxy = new NpgsqlConnectionStringBuilder(connectionString) { Port = proxy.Port, Timeout = 2, CommandTimeout = 5 }.ConnectionString;
            for (var i = 1; i <= 3; i++)
            {
                var settings = new Dictionary<string, string?>
                {
                    ["HuiHui:Cluster:Enabled"] = "true",
                    ["HuiHui:Cluster:NodeId"] = $"node-{i}",
                    ["HuiHui:Ingestion:Enabled"] = "true",
                    ["HuiHui:Ingestion:Interval"] = "00:00:01",
                    ["HuiHui:Experts:SpoolPath"] = CacheHarness.NewFolder(),
                    ["HuiHui:Experts:RetryInterval"] = "00:00:00.500",
                };
                for (var s = 0; s < Symbols.Length; s++)
                {
                    settings[$"HuiHui:Ingestion:WatchList:{s}"] = Symbols[s];
                }

                var node = new HuiHuiFactory(throughProxy, settings);
                nodes.Add(node);
                _ = node.Services; // starts the host
            }

            await Poller.UntilAsync(() => StatusAsync(nodes[0]), s => s.Nodes.Count(n => n.Live && n.Symbols.Count == 2) == 3, TimeSpan.FromSeconds(60), "two symbols on each of three nodes");
            await Task.Delay(TimeSpan.FromSeconds(3));

            var down = DateTimeOffset.UtcNow;
            proxy.Stop();
            await Task.Delay(TimeSpan.FromSeconds(10));
            proxy.Start();
            var back = DateTimeOffset.UtcNow;

            // Every node writes its spool back; then the stored analyses cover the outage with no gap and no duplicate.
            await Poller.UntilAsync(
                () => Sql.ScalarOnAsync<long>(connectionString, "SELECT count(DISTINCT symbol) FROM moe_analysis.expert_responses WHERE created_at > $1", back.AddSeconds(2)),
                n => n == Symbols.Length, TimeSpan.FromSeconds(60), "analyses after the database came back");
            await Task.Delay(TimeSpan.FromSeconds(2)); // the last spooled batches
            var during = await Sql.ScalarOnAsync<long>(connectionString,
                "SELECT count(*) FROM moe_analysis.expert_responses WHERE expert_id = 'meta' AND created_at BETWEEN $1 AND $2", down, back);
            var gap = await Sql.ScalarOnAsync<double>(connectionString, """
                SELECT max(g)::float8 FROM (
                  SELECT extract(epoch FROM created_at - lag(created_at) OVER (PARTITION BY symbol ORDER BY created_at)) AS g
                  FROM moe_analysis.expert_responses WHERE expert_id = 'meta' AND created_at BETWEEN $1 AND $2) x
                """, down.AddSeconds(-3), back.AddSeconds(2));
            await TestContext.Out.WriteLineAsync($"outage {(back - down).TotalSeconds:F1} s: {during} analyses made meanwhile and stored, largest gap {gap:F2} s");

            Assert.That(during, Is.GreaterThanOrEqualTo(Symbols.Length * 8), "about one analysis per symbol per second while the database was away, stored once it was back");
            Assert.That(gap, Is.LessThan(3.0), "no symbol went unanalysed through the outage (1-second cadence)");
            var status = await StatusAsync(nodes[0]);
            Assert.That(status.Nodes.Where(n => n.Live).Sum(n => n.Symbols.Count), Is.EqualTo(Symbols.Length), "the leases are renewed again");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            GlobalConfiguration.Configuration.UseLogProvider(new Hangfire.AspNetCore.AspNetCoreLogProvider(
                Testing.Factory.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));
            await proxy.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await TestDatabase.DropAsync(connectionString);
        }
    }

    private static async Task<ClusterStatus> StatusAsync(HuiHuiFactory node)
    {
        await using var scope = node.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetClusterStatus());
    }
}
