using System.Collections.Concurrent;
using HuiHui.Modules.Experts.Orchestration;
using Microsoft.Extensions.Time.Testing;

namespace HuiHui.Tests.Experts;

/// <summary>The live analysis's day-keyed history: only a symbol's first analysis waits for it; a new day's value loads beside the analyses.</summary>
[TestFixture]
public sealed class DayHandoverTests
{
    private static readonly DateOnly Monday = new(2026, 12, 7);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>A load per call, each completed by the test: what it was asked for and when it answers.</summary>
    private sealed class Loads
    {
        public ConcurrentQueue<(DateOnly Day, TaskCompletionSource<string> Answer)> Started { get; } = new();

        public Func<CancellationToken, Task<string>> For(DateOnly day)
        {
            return _ =>
            {
                var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                Started.Enqueue((day, answer));
                return answer.Task;
            };
        }

        public (DateOnly Day, TaskCompletionSource<string> Answer) Next()
        {
            Assert.That(Started.TryDequeue(out var load), Is.True, "a load was started");
            return load;
        }
    }

    private static async Task HeldAsync(DayHandover<string> handover, string symbol, DateOnly day, string expected, Loads loads)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string value;
        do
        {
            value = await handover.GetAsync(symbol, day, loads.For(day), CancellationToken.None);
            if (value == expected)
            {
                return;
            }

            await Task.Delay(10);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"held {value}, expected {expected}");
    }

    [Test]
    public async Task TheFirstAnalysisWaits_LaterOnesOfTheDayReadTheHeldValue()
    {
        var handover = new DayHandover<string>(Hour, new FakeTimeProvider(), (_, _) => { });
        var loads = new Loads();

        var first = handover.GetAsync("SPY", Monday, loads.For(Monday), CancellationToken.None);
        Assert.That(first.IsCompleted, Is.False, "nothing held yet: the first analysis waits for its load");
        loads.Next().Answer.SetResult("monday");
        Assert.That(await first, Is.EqualTo("monday"));

        Assert.That(await handover.GetAsync("SPY", Monday, loads.For(Monday), CancellationToken.None), Is.EqualTo("monday"));
        Assert.That(loads.Started, Is.Empty, "the day's value is held: no second load");
        var qqq = handover.GetAsync("QQQ", Monday, loads.For(Monday), CancellationToken.None);
        Assert.That(qqq.IsCompleted, Is.False, "each symbol holds its own");
        loads.Next().Answer.SetResult("qqq monday");
        Assert.That(await qqq, Is.EqualTo("qqq monday"));
    }

    [Test]
    public async Task ANewDay_GoesOnWithThePreviousValue_WhileOneLoadRunsBeside()
    {
        var handover = new DayHandover<string>(Hour, new FakeTimeProvider(), (_, _) => { });
        var loads = new Loads();
        var monday = handover.GetAsync("SPY", Monday, loads.For(Monday), CancellationToken.None);
        loads.Next().Answer.SetResult("monday");
        await monday;

        var tuesday = Monday.AddDays(1);
        var handedOver = await handover.GetAsync("SPY", tuesday, loads.For(tuesday), CancellationToken.None);
        var again = await handover.GetAsync("SPY", tuesday, loads.For(tuesday), CancellationToken.None);

        Assert.That((handedOver, again), Is.EqualTo(("monday", "monday")), "the analyses do not wait for Tuesday's load");
        await WaitForAsync(() => !loads.Started.IsEmpty);
        var load = loads.Next();
        Assert.That(load.Day, Is.EqualTo(tuesday));
        Assert.That(loads.Started, Is.Empty, "one load for the new day, however many analyses ask meanwhile");
        load.Answer.SetResult("tuesday");
        await HeldAsync(handover, "SPY", tuesday, "tuesday", loads);
    }

    [Test]
    public async Task AnExpiredValue_IsServedWhileItReloads()
    {
        var clock = new FakeTimeProvider();
        var handover = new DayHandover<string>(Hour, clock, (_, _) => { });
        var loads = new Loads();
        var first = handover.GetAsync("SPY", Monday, loads.For(Monday), CancellationToken.None);
        loads.Next().Answer.SetResult("monday 10:00");
        await first;

        clock.Advance(Hour - TimeSpan.FromSeconds(1));
        Assert.That(await handover.GetAsync("SPY", Monday, loads.For(Monday), CancellationToken.None), Is.EqualTo("monday 10:00"));
        Assert.That(loads.Started, Is.Empty, "within its time to live: no load");

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await handover.GetAsync("SPY", Monday, loads.For(Monday), CancellationToken.None), Is.EqualTo("monday 10:00"));
        await WaitForAsync(() => !loads.Started.IsEmpty);
        loads.Next().Answer.SetResult("monday 11:00 (a day backfilled)");
        await HeldAsync(handover, "SPY", Monday, "monday 11:00 (a day backfilled)", loads);
    }

    [Test]
    public async Task AFailedLoadBeside_KeepsTheHeldValue_AndTheNextAnalysisTriesAgain()
    {
        var failures = new ConcurrentQueue<(string Symbol, string Problem)>();
        var handover = new DayHandover<string>(Hour, new FakeTimeProvider(), (symbol, error) => failures.Enqueue((symbol, error.Message)));
        var loads = new Loads();
        var first = handover.GetAsync("SPY", Monday, loads.For(Monday), CancellationToken.None);
        loads.Next().Answer.SetResult("monday");
        await first;

        var tuesday = Monday.AddDays(1);
        Assert.That(await handover.GetAsync("SPY", tuesday, loads.For(tuesday), CancellationToken.None), Is.EqualTo("monday"));
        await WaitForAsync(() => !loads.Started.IsEmpty);
        loads.Next().Answer.SetException(new InvalidOperationException("PostgreSQL is down"));
        await WaitForAsync(() => !failures.IsEmpty);

        Assert.That(failures.Single(), Is.EqualTo(("SPY", "PostgreSQL is down")));
        Assert.That(await handover.GetAsync("SPY", tuesday, loads.For(tuesday), CancellationToken.None), Is.EqualTo("monday"), "the held value stays");
        await WaitForAsync(() => !loads.Started.IsEmpty);
        loads.Next().Answer.SetResult("tuesday");
        await HeldAsync(handover, "SPY", tuesday, "tuesday", loads);
    }

    [Test]
    public async Task AFailedFirstLoad_ThrowsToItsAnalysis_AndHoldsNothing()
    {
        var handover = new DayHandover<string>(Hour, new FakeTimeProvider(), (_, _) => { });
        var loads = new Loads();
        var first = handover.GetAsync("SPY", Monday, loads.For(Monday), CancellationToken.None);
        loads.Next().Answer.SetException(new InvalidOperationException("PostgreSQL is down"));

        Assert.That(async () => await first, Throws.InvalidOperationException.With.Message.EqualTo("PostgreSQL is down"));
        var second = handover.GetAsync("SPY", Monday, loads.For(Monday), CancellationToken.None);
        Assert.That(second.IsCompleted, Is.False, "nothing was held: the next analysis waits for its own load");
        loads.Next().Answer.SetResult("monday");
        Assert.That(await second, Is.EqualTo("monday"));
    }

    [Test]
    public async Task AnEarlierDay_WaitsForItsOwnValue_AndLeavesTheHeldOneAlone()
    {
        var handover = new DayHandover<string>(Hour, new FakeTimeProvider(), (_, _) => { });
        var loads = new Loads();
        var first = handover.GetAsync("SPY", Monday, loads.For(Monday), CancellationToken.None);
        loads.Next().Answer.SetResult("monday");
        await first;

        var friday = Monday.AddDays(-3);
        var older = handover.GetAsync("SPY", friday, loads.For(friday), CancellationToken.None);
        Assert.That(older.IsCompleted, Is.False, "never a later day's history for an earlier snapshot");
        loads.Next().Answer.SetResult("friday");
        Assert.That(await older, Is.EqualTo("friday"));
        Assert.That(await handover.GetAsync("SPY", Monday, loads.For(Monday), CancellationToken.None), Is.EqualTo("monday"));
        Assert.That(loads.Started, Is.Empty);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "timed out");
            await Task.Delay(5);
        }
    }
}
