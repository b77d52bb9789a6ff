using Microsoft.Extensions.Hosting;

namespace HuiHui.Modules.Shared.Hosting;

/// <summary>
/// What modules warm at start (models read, the analysis's code paths compiled by a few analyses of a simulated chain),
/// so the first live cycle is as fast as the later ones. Warm-ups <see cref="Add"/> their work when they start; the
/// ingestion loop waits for all of them, at most <paramref name="maxWait"/>, before its first cycle
/// (<see cref="WaitAsync"/>). A warm-up that fails only costs the first cycle its speed.
/// </summary>
internal sealed class StartupWarmups(IServiceProvider services)
{
    /// <summary>Null outside a host (module tests): then nothing waits for the start.</summary>
    private readonly IHostApplicationLifetime? lifetime = (IHostApplicationLifetime?)services.GetService(typeof(IHostApplicationLifetime));

    private readonly List<Task> warming = [];

    public void Add(Task task)
    {
        lock (warming)
        {
            warming.Add(task);
        }
    }

    /// <summary>
    /// Waits for the host to have started every service (so every warm-up is added), then for the warm-ups; true when they
    /// all finished in time. Real time on purpose: warming is CPU work, not market time.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (lifetime is not null)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(maxWait, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        Task[] all;
        lock (warming)
        {
            all = [.. warming];
        }

        var done = Task.WhenAll(all);
        await done.WaitAsync(maxWait, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        return done.IsCompleted;
    }
}
