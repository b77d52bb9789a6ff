using System.Collections.Concurrent;
using System.Net;
using Hangfire;
using HuiHui.Modules.Cluster.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Cluster;

/// <summary>
/// Two nodes on one PostgreSQL and one Redis: node A a real process, node B the in-process host a browser talks to. They
/// share the watch-list; A's pushes reach B's browser (Redis backplane, MessagePack), B's cache follows A's entries, A
/// killed with SIGKILL hands its symbols to B within two intervals with no snapshot analysed twice, and Redis going away
/// raises an alert while analysis goes on, pushes coming back with it.
/// </summary>
[NonParallelizable]
public sealed class ClusterNodesTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly string[] Symbols = ["SPY", "QQQ", "IWM", "AAPL"];

    private string connectionString = "";
    private RedisServer redis = null!;
    private NodeProcess nodeA = null!;
    private HuiHuiFactory nodeB = null!;

    [OneTimeSetUp]
    public async Task StartNodes()
    {
        connectionString = await TestDatabase.CreateAsync("huihui_cluster");
        var migrate = await CliProcess.RunAsync(connectionString, "migrate");
        Assert.That(migrate.ExitCode, Is.Zero, migrate.StandardError);
        redis = await RedisServer.StartAsync();

        var shared = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = connectionString,
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
            ["HuiHui__Cluster__Enabled"] = "true",
            ["HuiHui__Ingestion__Enabled"] = "true",
            ["HuiHui__Ingestion__Interval"] = Interval.ToString(),
            ["HuiHui__Database__MigrateOnStartup"] = "false",
            ["HuiHui__Jobs__RunServer"] = "false",
            ["HuiHui__Learning__FillOnFirstStart"] = "false",
            ["HuiHui__Education__IngestOnFirstStart"] = "false",
            ["HuiHui__Monitoring__Compliance__Enabled"] = "false",
        };
        for (var i = 0; i < Symbols.Length; i++)
        {
            shared[$"HuiHui__Ingestion__WatchList__{i}"] = Symbols[i];
        }

        nodeA = NodeProcess.Start(new Dictionary<string, string>(shared)
        {
            ["HuiHui__Cluster__NodeId"] = "node-a",
            ["Urls"] = "http://127.0.0.1:0",
            ["HuiHui__Cache__DiskPath"] = CacheHarness.NewFolder(),
            ["HuiHui__Ingestion__SpoolPath"] = CacheHarness.NewFolder(),
            ["HuiHui__Experts__SpoolPath"] = CacheHarness.NewFolder(),
        });

        var settings = shared.ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value);
        settings.Remove("ConnectionStrings:Postgres");
        settings["HuiHui:Cluster:NodeId"] = "node-b";
        settings["HuiHui:Experts:SpoolPath"] = CacheHarness.NewFolder();
        nodeB = new HuiHuiFactory(connectionString, settings);
        nodeB.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        nodeB.StartServer();
        await HubAccounts.EnsureUsersAsync(nodeB.Services);
    }

    [OneTimeTearDown]
    public async Task StopNodes()
    {
        if (nodeA is not null)
        {
            await nodeA.DisposeAsync();
        }

        if (nodeB is not null)
        {
            await nodeB.DisposeAsync();
            // Hangfire keeps its log provider in a static the last host set: give it back to the suite's host.
            GlobalConfiguration.Configuration.UseLogProvider(new Hangfire.AspNetCore.AspNetCoreLogProvider(
                Testing.Factory.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        }

        if (redis is not null)
        {
            await redis.DisposeAsync();
        }

        if (connectionString.Length > 0)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Npgsql.NpgsqlConnection.ClearAllPools();
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Test]
    public async Task TwoNodes_ShareTheSymbols_PushesAndCacheCrossNodes_AKilledNodesSymbolsMove_AndRedisOutagesAreSurvived()
    {
        // 1. Each symbol held by exactly one node, two each.
        var status = await Poller.UntilAsync(() => SendAsync(new GetClusterStatus()),
            s => s.Nodes.Count(n => n.Live) == 2 && s.Nodes.All(n => n.Symbols.Count == 2), TimeSpan.FromSeconds(60), "both nodes holding two symbols each");
        var ofA = status.Nodes.Single(n => n.Id == "node-a").Symbols;
        var ofB = status.Nodes.Single(n => n.Id == "node-b").Symbols;
        Assert.That(ofA.Concat(ofB), Is.EquivalentTo(Symbols), nodeA.Output);

        // 2. A browser on B (MessagePack) hears A's analyses: the Redis backplane. B's Health page lists both nodes.
        var pushes = new ConcurrentQueue<Push>();
        var (hub, page) = await ConnectAsync(pushes);
        await using var disposeHub = hub;
        using var disposePage = page;
        var health = await page.GetStringAsync("/Health");
        Assert.That(health, Does.Contain("data-node=\"node-a\"").And.Contain("data-node=\"node-b\"").And.Contain(string.Join(" ", ofA)));
        var fromA = await Poller.UntilAsync(() => Task.FromResult(pushes.FirstOrDefault(p => ofA.Contains(p.Symbol))), p => p is not null, TimeSpan.FromSeconds(30), $"a push of node A's symbol on node B (heard: {string.Join(",", pushes.Select(p => p.Symbol).Distinct())})");

        // 3. B's cache follows A's: B reads A's symbol's analysis at least as new as the push it just sent.
        var cached = await Poller.UntilAsync(() => SendAsync(new GetLatestAnalysis(fromA!.Symbol)), a => a is not null && a.Analysis.AsOf >= fromA!.AsOf, TimeSpan.FromSeconds(10), "node B's cache to hold node A's latest analysis");
        Assert.That(cached!.Analysis.Symbol, Is.EqualTo(fromA!.Symbol));

        // 4. A killed mid-cycle: B holds every symbol within two intervals of A's last heartbeat (database clock), keeps
        //    analysing them, and no symbol was analysed by both nodes in the same interval.
        await nodeA.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        await Poller.UntilAsync(() => SendAsync(new GetClusterStatus()), s => s.Nodes.Single(n => n.Id == "node-b").Symbols.Count == Symbols.Length, TimeSpan.FromSeconds(30), "node B holding every symbol");
        var takeover = await Sql.ScalarOnAsync<double>(connectionString, """
            SELECT max(extract(epoch FROM l.acquired_at - n.heartbeat_at))::float8 FROM cluster.leases l, cluster.nodes n
            WHERE n.id = 'node-a' AND l.node_id = 'node-b' AND l.symbol = ANY($1)
            """, (object)ofA.ToArray());
        Assert.That(takeover, Is.LessThanOrEqualTo(2 * Interval.TotalSeconds), "A's symbols moved within two intervals of its last heartbeat");
        await Poller.UntilAsync(() => Sql.ScalarOnAsync<long>(connectionString, "SELECT count(DISTINCT symbol) FROM moe_analysis.expert_responses WHERE symbol = ANY($1) AND created_at > $2", (object)ofA.ToArray(), killedAt),
            n => n == ofA.Count, TimeSpan.FromSeconds(30), "B's analyses of A's former symbols stored");
        // One node at a time per symbol: each symbol has at most one analysis per interval over the run, plus one for each
        // time its lease moved (the two nodes' cycles are out of phase; it moved twice: when B joined and when A died).
        // Two nodes analysing a symbol together would add one analysis per interval they overlapped.
        var excess = await Sql.ScalarOnAsync<double>(connectionString, """
            SELECT max(n - (extract(epoch FROM last - first) / $1 + 1))::float8 FROM (
              SELECT symbol, count(*) AS n, min(created_at) AS first, max(created_at) AS last
              FROM moe_analysis.expert_responses WHERE expert_id = 'meta' GROUP BY symbol) s
            """, Interval.TotalSeconds);
        await TestContext.Out.WriteLineAsync($"takeover {takeover:F2} s after node A's last heartbeat; analyses beyond one per interval: {excess:F2}");
        Assert.That(excess, Is.LessThanOrEqualTo(2.0), "more analyses of a symbol than one per interval and one per lease move: two nodes worked on it");

        // 5. Redis away: an alert, analysis and persistence go on; back: the alert resolves and pushes resume.
        await redis.StopAsync();
        await Poller.UntilAsync(() => Sql.OpenAlertsOnAsync(connectionString, "cluster", "redis-down"), n => n == 1, TimeSpan.FromSeconds(30), "the redis-down alert");
        var duringOutage = DateTimeOffset.UtcNow;
        await Poller.UntilAsync(() => Sql.ScalarOnAsync<long>(connectionString, "SELECT count(DISTINCT symbol) FROM moe_analysis.expert_responses WHERE created_at > $1", duringOutage),
            n => n == Symbols.Length, TimeSpan.FromSeconds(30), "analyses stored while Redis is down");
        await redis.RestartAsync();
        var back = DateTimeOffset.UtcNow;
        pushes.Clear();
        await Poller.UntilAsync(() => Task.FromResult(pushes.Count), n => n > 0, TimeSpan.FromSeconds(60), "pushes again once Redis is back");
        await Poller.UntilAsync(() => Sql.OpenAlertsOnAsync(connectionString, "cluster", "redis-down"), n => n == 0, TimeSpan.FromSeconds(30), "the redis-down alert resolved");
        Assert.That(back, Is.GreaterThan(duringOutage));
    }

    private async Task<T> SendAsync<T>(IQuery<T> query)
    {
        await using var scope = nodeB.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query);
    }

    /// <summary>An analyst logged in on node B: a hub connection (MessagePack) watching the overview, and a page client.</summary>
    private async Task<(HubConnection Hub, HttpClient Page)> ConnectAsync(ConcurrentQueue<Push> pushes)
    {
        var baseUrl = nodeB.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        using (var login = await HubAccounts.PostLoginAsync(client, HubAccounts.AnalystEmail, HubAccounts.Password))
        {
            Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "logged in");
        }

        var connection = new HubConnectionBuilder()
            .WithUrl(baseUrl + "/hubs/analysis", options => options.Cookies = cookies)
            .AddMessagePackProtocol()
            .WithAutomaticReconnect()
            .Build();
        connection.On<Push>("analysisCompleted", pushes.Enqueue);
        await connection.StartAsync();
        await connection.InvokeAsync("WatchOverview");
        return (connection, client);
    }
}

/// <summary>What the hub pushes (the host's AnalysisPush), read over MessagePack: public, as MessagePack's contractless reader needs.</summary>
public sealed record Push(string Symbol, Guid CycleId, DateTimeOffset AsOf, string Bias, double Conviction);
