using HuiHui.Modules.Shared.Hosting;

namespace HuiHui.Tests.Shared;

/// <summary>The ingestion loop's first cycle runs the start-up warm-ups and waits for them, but never longer than it is told.</summary>
public sealed class StartupWarmupsTests
{
    private sealed class Warmup(Func<CancellationToken, Task> work) : IStartupWarmup
    {
        public bool Ran { get; private set; }

        public Task WarmAsync(CancellationToken cancellationToken)
        {
            Ran = true;
            return work(cancellationToken);
        }
    }

    [Test]
    public async Task EveryWarmupRuns_TheWaitEndsWhenAllHaveEnded_EvenAFailedOne_OrAtItsLimit()
    {
        var release = new TaskCompletionSource();
        var slow = new Warmup(_ => release.Task);
        var failing = new Warmup(_ => throw new InvalidOperationException("a failed warm-up only costs speed"));

        var waiting = StartupWarmups.RunAsync([slow, failing], TimeSpan.FromMinutes(1), CancellationToken.None);
        await Task.Delay(50);
        Assert.That(waiting.IsCompleted, Is.False, "the slow one still runs");
        release.SetResult();

        Assert.That(await waiting, Is.True);
        Assert.That((slow.Ran, failing.Ran), Is.EqualTo((true, true)));
        Assert.That(await StartupWarmups.RunAsync([new Warmup(_ => new TaskCompletionSource().Task)], TimeSpan.FromMilliseconds(50), CancellationToken.None),
            Is.False, "the limit holds");
    }
}
