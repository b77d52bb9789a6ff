using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Pipeline;
using HuiHui.Modules.Shared.Hosting;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Ingestion;

public sealed class IngestionLoopTests : DatabaseTest
{
    [Test]
    public async Task Loop_RunsOnASchedule_AndANewIntervalAppliesWithoutRestart()
    {
        await using var services = ModuleServices.Build(new Dictionary<string, string?>
        {
            ["HuiHui:Ingestion:WatchList:0"] = "SPY",
            ["HuiHui:Ingestion:WatchList:1"] = "QQQ",
            ["HuiHui:Ingestion:Interval"] = "00:00:10",
            ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Ingestion:SpoolPath"] = CacheHarness.NewFolder(),
        });
        var loop = services.Get<IngestionLoop>();
        var start = services.Time.GetUtcNow();
        using var stop = new CancellationTokenSource();
        await loop.StartAsync(stop.Token);

        await WaitForCycleAsync(loop, 1, start.AddSeconds(10));
        services.Time.Advance(TimeSpan.FromSeconds(10));
        await WaitForCycleAsync(loop, 2, start.AddSeconds(20)); // cycle 2 began at 10 s

        await using (var scope = services.Provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SetIngestionInterval(TimeSpan.FromMinutes(1)));
        }

        await Poller.UntilAsync(() => Task.FromResult(loop.NextCycle), next => next == start.AddSeconds(70), what: "the next cycle moved to the new interval");
        services.Time.Advance(TimeSpan.FromSeconds(59)); // t = 69 s: the last cycle began at 10 s
        Assert.That(loop.Cycles, Is.EqualTo(2), "no cycle before the new interval is up");
        services.Time.Advance(TimeSpan.FromSeconds(1));
        await WaitForCycleAsync(loop, 3, start.AddSeconds(130));

        var status = services.Get<IngestionState>().Snapshot().Symbols;
        Assert.That(status.Select(s => (s.Symbol, s.LastSource)), Is.EqualTo(new[] { ("SPY", (string?)"simulated"), ("QQQ", "simulated") }));
        await stop.CancelAsync();
        await loop.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task FirstStartWork_WaitsForTheFirstCycle_AndAMomentForItsAnalyses()
    {
        await using var services = ModuleServices.Build(new Dictionary<string, string?>
        {
            ["HuiHui:Ingestion:WatchList:0"] = "SPY",
            ["HuiHui:Ingestion:Interval"] = "00:00:10",
            ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Ingestion:SpoolPath"] = CacheHarness.NewFolder(),
        });
        var loop = services.Get<IngestionLoop>();
        var liveStart = services.Get<LiveStart>();
        var start = services.Time.GetUtcNow();
        var waiting = liveStart.WaitAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        using var stop = new CancellationTokenSource();
        await loop.StartAsync(stop.Token);

        await WaitForCycleAsync(loop, 1, start.AddSeconds(10));
        Assert.That(liveStart.IsOpen, Is.False, "the first cycle's analyses get their moment first");
        services.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.That(liveStart.IsOpen, Is.False, "3 s (less than the 10 s interval) after the first cycle, not 2");
        services.Time.Advance(TimeSpan.FromSeconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(liveStart.IsOpen, Is.True);
        await stop.CancelAsync();
        await loop.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task FirstStartWork_GoesAtOnce_WhenTheLiveLoopIsOff()
    {
        await using var services = ModuleServices.Build(new Dictionary<string, string?>
        {
            ["HuiHui:Ingestion:Enabled"] = "false",
            ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Ingestion:SpoolPath"] = CacheHarness.NewFolder(),
        });
        var liveStart = services.Get<LiveStart>();
        var loop = services.Get<IngestionLoop>();
        Assert.That(liveStart.IsOpen, Is.False);
        await loop.StartAsync(CancellationToken.None);
        await liveStart.WaitAsync(TimeSpan.FromMinutes(5), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(liveStart.IsOpen, Is.True);
        await loop.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task FirstStartWork_GoesAfterTheLongestWait_WhenNoCycleEverEnds()
    {
        var liveStart = new LiveStart();
        await liveStart.WaitAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(liveStart.IsOpen, Is.False, "the wait ended, the gate did not open");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        Assert.CatchAsync<OperationCanceledException>(() => liveStart.WaitAsync(TimeSpan.FromMinutes(1), cancelled.Token));
    }

    private static Task<(long Cycles, DateTimeOffset? NextCycle)> WaitForCycleAsync(IngestionLoop loop, long cycles, DateTimeOffset next) =>
        Poller.UntilAsync(() => Task.FromResult((loop.Cycles, loop.NextCycle)), s => s.Cycles == cycles && s.NextCycle == next, what: $"cycle {cycles} done, next at {next:HH:mm:ss}");
}
