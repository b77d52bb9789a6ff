using HuiHui.Modules.Cluster.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Modules.Ingestion.Simulation;
using Microsoft.Extensions.Options;
using HuiHui.Modules.Cluster.Leases;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HuiHui.Tests.Cluster;

/// <summary>
/// Symbol leases on the suite's PostgreSQL: several nodes (each its own module container, as a process would have),
/// driven renewal by renewal.
/// </summary>
public sealed class SymbolLeaseTests : DatabaseTest
{
    private static readonly string[] Ten = ["AAPL", "AMD", "AMZN", "GOOG", "IWM", "META", "MSFT", "NVDA", "QQQ", "SPY"];

    private readonly List<ModuleServices> nodes = [];

    [TearDown]
    public async Task StopNodes()
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }

        nodes.Clear();
    }

    [Test]
    public async Task ThreeNodes_SplitTheWatchList_EachSymbolHeldByExactlyOne_BalancedByCount()
    {
        var (a, b, c) = (Node("node-a", Ten), Node("node-b", Ten), Node("node-c", Ten));

        await RenewAsync(a, b, c);
        await RenewAsync(a, b, c);

        var held = new[] { a, b, c }.Select(n => n.Get<ISymbolLeases>()).Select(l => Ten.Where(s => l.Holds(s) is not null).ToList()).ToList();
        Assert.That(held.Select(h => h.Count), Is.EqualTo(new[] { 4, 3, 3 }), "10 symbols over 3 nodes: the first by id takes the remainder");
        Assert.That(held.SelectMany(h => h), Is.EquivalentTo(Ten), "every symbol held, none by two nodes");

        var status = await Testing.SendAsync(new GetClusterStatus());
        Assert.That(status.Nodes.Select(n => n.Id), Is.EquivalentTo(new[] { "node-a", "node-b", "node-c" }));
        Assert.That(status.Nodes.Single(n => n.Id == "node-b").Symbols, Is.EqualTo(held[1].Order(StringComparer.Ordinal)));
        Assert.That(status.Nodes.All(n => n.Live), Is.True);
        Assert.That(status.Unleased, Is.Empty);
    }

    [Test]
    public async Task ANodeJoining_TakesItsShare_AndTheMovedSymbolsGetNewerLeaseVersions()
    {
        var a = Node("node-a", Ten);
        await RenewAsync(a);
        var before = Ten.ToDictionary(s => s, s => a.Get<ISymbolLeases>().Holds(s));
        Assert.That(before.Values, Has.All.Not.Null, "alone, a node holds every symbol");

        var b = Node("node-b", Ten);
        await RenewAsync(b);    // registers: live, but nothing is free yet
        await RenewAsync(a);    // a sees two live nodes and releases half
        await RenewAsync(b);    // b claims the released half

        var leasesA = a.Get<ISymbolLeases>();
        var leasesB = b.Get<ISymbolLeases>();
        var moved = Ten.Where(s => leasesB.Holds(s) is not null).ToList();
        Assert.That(moved, Has.Count.EqualTo(5));
        Assert.That(Ten.Count(s => leasesA.Holds(s) is not null), Is.EqualTo(5));
        Assert.That(moved.Select(s => leasesA.Holds(s)), Has.All.Null, "a released what b took");
        foreach (var symbol in moved)
        {
            Assert.That(leasesB.Holds(symbol), Is.GreaterThan(before[symbol]!.Value), $"{symbol}: a lease that moves has a newer version");
        }
    }

    [Test]
    public async Task ANodeThatStopsRenewing_LosesItsSymbols_AndTheOthersTakeThemAtTheirNextRenewal()
    {
        var (a, b) = (Node("node-a", Ten), Node("node-b", Ten));
        await RenewAsync(a, b);
        await RenewAsync(a, b);
        var ofB = Ten.Where(s => b.Get<ISymbolLeases>().Holds(s) is not null).ToList();
        Assert.That(ofB, Has.Count.EqualTo(5));

        // b goes silent (a process killed: no release). Its leases run out after one lease (0.6 s here); on its own clock it
        // stops counting them before that (90 % of the lease), so it never works on a symbol the other node has taken.
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        Assert.That(ofB.Select(s => b.Get<ISymbolLeases>().Holds(s)), Has.All.Null, "the silent node's own clock ended its leases");

        await RenewAsync(a);
        Assert.That(Ten.Select(s => a.Get<ISymbolLeases>().Holds(s)), Has.All.Not.Null, "the live node took the silent node's symbols");

        var status = await Testing.SendAsync(new GetClusterStatus());
        Assert.That(status.Nodes.Single(n => n.Id == "node-b").Live, Is.False);
        Assert.That(status.Nodes.Single(n => n.Id == "node-b").Symbols, Is.Empty);
    }

    [Test]
    public async Task ANodeStoppingCleanly_ReleasesItsSymbolsAtOnce()
    {
        var (a, b) = (Node("node-a", Ten), Node("node-b", Ten));
        await RenewAsync(a, b);
        await RenewAsync(a, b);

        await b.Get<LeaseKeeper>().StopAsync(CancellationToken.None);
        await RenewAsync(a);

        Assert.That(Ten.Select(s => a.Get<ISymbolLeases>().Holds(s)), Has.All.Not.Null);
        var status = await Testing.SendAsync(new GetClusterStatus());
        Assert.That(status.Nodes.Select(n => n.Id), Is.EqualTo(new[] { "node-a" }), "a node stopping cleanly leaves the registry");
    }

    [Test]
    public async Task WhileTheDatabaseIsUnreachable_ANodeKeepsItsSymbols_AndRenewsWhenItIsBack()
    {
        await using var proxy = new TcpProxy("127.0.0.1", new NpgsqlConnectionStringBuilder(Testing.ConnectionString).Port);
        proxy.Start();
        var throughProxy = new NpgsqlConnectionStringBuilder(Testing.ConnectionString) { Port = proxy.Port, Timeout = 2, Pooling = false }.ConnectionString;
        var a = Node("node-a", Ten, throughProxy);
        await RenewAsync(a);
        var keeper = a.Get<LeaseKeeper>();
        var renewals = keeper.Renewals;

        proxy.Stop();
        await Task.Delay(TimeSpan.FromMilliseconds(700)); // longer than the lease
        await keeper.RenewOnceAsync(CancellationToken.None);

        Assert.That(keeper.Renewals, Is.EqualTo(renewals), "the renewal failed");
        Assert.That(Ten.Select(s => a.Get<ISymbolLeases>().Holds(s)), Has.All.Not.Null,
            "no node can take a symbol without the database: the node keeps working (nothing lost) until it answers");

        proxy.Start();
        await keeper.RenewOnceAsync(CancellationToken.None);
        Assert.That(keeper.Renewals, Is.EqualTo(renewals + 1));
        Assert.That(Ten.Select(s => a.Get<ISymbolLeases>().Holds(s)), Has.All.Not.Null);
    }

    [Test]
    public async Task ANodeWhoseIngestionIsOff_RegistersButTakesNoSymbol()
    {
        var (a, b) = (Node("node-a", Ten), Node("node-b", Ten, enabled: false));
        await RenewAsync(a, b);
        await RenewAsync(a, b);

        Assert.That(Ten.Select(s => a.Get<ISymbolLeases>().Holds(s)), Has.All.Not.Null);
        Assert.That(Ten.Select(s => b.Get<ISymbolLeases>().Holds(s)), Has.All.Null);
    }

    [Test]
    public async Task AnAnalysisWhoseLeaseMovedWhileItRan_IsDropped_NeitherCachedNorStored()
    {
        var market = new SimulatedMarket(Options.Create(new SimulatorOptions { HistoryDays = 20 }), TimeProvider.System);
        var snapshot = market.Snapshot("SPY", 20L * TradingCalendar.MinutesPerDay) with { Symbol = "FENCE" };
        var runner = Testing.Factory.Services.GetRequiredService<AnalysisRunner>();
        await using var scope = Testing.Factory.Services.CreateAsyncScope();

        // The shared host is one node (every lease version 0): an analysis started under version 7 no longer holds it.
        var lost = Assert.ThrowsAsync<LeaseLostException>(() => runner.RunAsync(snapshot, scope.ServiceProvider.GetRequiredService<Mediator.IMediator>(), 0, CancellationToken.None, lease: 7));

        Assert.That(lost!.Message, Does.Contain("FENCE").And.Contain("lease 7"));
        Assert.That(await Testing.SendAsync(new GetLatestAnalysis("FENCE")), Is.Null, "nothing cached");
        await Testing.Factory.Services.GetRequiredService<ResponseWriter>().FlushAsync(CancellationToken.None);
        Assert.That((await Testing.SendAsync(new GetExpertHistory("FENCE", null, DateTimeOffset.UnixEpoch, new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero)))).Rows, Is.Empty, "nothing stored");

        // The same analysis under the lease the node holds goes through: cached and stored.
        await runner.RunAsync(snapshot, scope.ServiceProvider.GetRequiredService<Mediator.IMediator>(), 0, CancellationToken.None, lease: 0);
        await Testing.Factory.Services.GetRequiredService<ResponseWriter>().FlushAsync(CancellationToken.None);
        Assert.That(await Testing.SendAsync(new GetLatestAnalysis("FENCE")), Is.Not.Null);
        var stored = await Poller.UntilAsync(
            async () => (await Testing.SendAsync(new GetExpertHistory("FENCE", null, DateTimeOffset.UnixEpoch, new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero)))).Rows.Count,
            n => n == 4, what: "the held lease's analysis stored");
        Assert.That(stored, Is.EqualTo(4));
    }

    private ModuleServices Node(string id, string[] watchList, string? connectionString = null, bool enabled = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["HuiHui:Cluster:Enabled"] = "true",
            ["HuiHui:Cluster:NodeId"] = id,
            ["HuiHui:Cluster:MinimumLease"] = "00:00:00.5",
        };
        if (connectionString is not null)
        {
            settings["ConnectionStrings:Postgres"] = connectionString;
        }

        var node = ModuleServices.BuildOnSystemClock(settings, services =>
            services.AddSingleton<IWatchListSource>(new FixedWatchList(new WatchListSettings(TimeSpan.FromMilliseconds(400), watchList, enabled))));
        nodes.Add(node);
        return node;
    }

    private static async Task RenewAsync(params ModuleServices[] renewing)
    {
        foreach (var node in renewing)
        {
            await node.Get<LeaseKeeper>().RenewOnceAsync(CancellationToken.None);
        }
    }

    private sealed class FixedWatchList(WatchListSettings settings) : IWatchListSource
    {
        public ValueTask<WatchListSettings> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(settings);
    }
}
