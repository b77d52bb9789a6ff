using HuiHui.Modules.Shared.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Shared;

/// <summary>The ingestion loop's first cycle waits for the start-up warm-ups, but never longer than it is told.</summary>
public sealed class StartupWarmupsTests
{
    [Test]
    public async Task TheWait_EndsWhenEveryWarmupHasFinished_OrAtItsLimit()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var warmups = new StartupWarmups(services);
        var first = new TaskCompletionSource();
        var second = new TaskCompletionSource();
        warmups.Add(first.Task);
        warmups.Add(second.Task);

        var waiting = warmups.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        first.SetResult();
        Assert.That(waiting.IsCompleted, Is.False, "one warm-up still runs");
        second.SetException(new InvalidOperationException("a failed warm-up only costs speed"));
        Assert.That(await waiting, Is.True);

        var stuck = new StartupWarmups(services);
        stuck.Add(new TaskCompletionSource().Task);
        Assert.That(await stuck.WaitAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None), Is.False, "the limit holds");
    }
}
