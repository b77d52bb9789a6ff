namespace HuiHui.Modules.Shared.Hosting;

/// <summary>
/// Work a module does once before the first live cycle (the analysis's code compiled, the idea gate and the vector index
/// loaded), so the first cycle is as fast as the later ones. Registered as singletons; run by the ingestion loop when it
/// starts (<see cref="StartupWarmups"/>), so a host without the live loop (CLI, tests) never pays for it.
/// </summary>
internal interface IStartupWarmup
{
    Task WarmAsync(CancellationToken cancellationToken);
}

/// <summary>Runs every <see cref="IStartupWarmup"/> together and waits for them, at most a given time.</summary>
internal static class StartupWarmups
{
    /// <summary>True when they all ended (a failed warm-up only costs the first cycle its speed) within <paramref name="maxWait"/>.</summary>
    public static async Task<bool> RunAsync(IEnumerable<IStartupWarmup> warmups, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var all = Task.WhenAll(warmups.Select(w => Task.Run(() => w.WarmAsync(cancellationToken), cancellationToken)));
        await all.WaitAsync(maxWait, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        return all.IsCompleted;
    }
}
