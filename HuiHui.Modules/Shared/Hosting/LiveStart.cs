namespace HuiHui.Modules.Shared.Hosting;

/// <summary>
/// Opens once the live loop's first cycle and its analyses have had their turn (or at once when the loop is off).
/// First-start work that is heavy but not urgent — embedding the starter corpus, filling the learning store — waits for
/// it, so on a new installation it does not share the two cores with the first live cycles (measured: a fresh clone's
/// first cycle took 106–233 ms beside the corpus embedding, 6–35 ms without; docs/performance.md).
/// </summary>
internal sealed class LiveStart
{
    private readonly TaskCompletionSource opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The longest first-start work waits for a first cycle (one the warm-up and a slow provider made late).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(1);

    public bool IsOpen => opened.Task.IsCompleted;

    public void Open() => opened.TrySetResult();

    /// <summary>Waits until open, at most <paramref name="maxWait"/> (a loop that never finishes a cycle does not hold the work back for good).</summary>
    public async Task WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        await opened.Task.WaitAsync(maxWait, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
