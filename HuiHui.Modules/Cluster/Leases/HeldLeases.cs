using System.Collections.Frozen;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Cluster.Leases;

/// <summary>
/// This node's leases as of its last renewal. A lease counts until the renewal that granted it plus 90 % of the lease,
/// on this node's monotonic clock (started before the renewal was sent, so it ends before the database's expiry, after
/// which another node may take the symbol). While the database cannot be reached the leases are kept: no other node can
/// take a symbol without the database either, and stopping would lose the snapshots a single node keeps in its spool.
/// </summary>
internal sealed class HeldLeases(IOptions<ClusterOptions> options, TimeProvider time) : ISymbolLeases
{
    private volatile State current = new(FrozenDictionary<string, long>.Empty, 0, Unconfirmed: false);
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string NodeId { get; } = NodeIds.Resolve(options.Value.NodeId);

    /// <summary>The symbols held, with their lease versions.</summary>
    public IReadOnlyDictionary<string, long> Symbols => current.Versions;

    /// <summary>The last renewal failed (the database is unreachable): the leases are kept, unconfirmed.</summary>
    public bool Unconfirmed => current.Unconfirmed;

    public Task Changed => Volatile.Read(ref changed).Task;

    public long? Holds(string symbol)
    {
        var state = current;
        if (!state.Versions.TryGetValue(symbol, out var version))
        {
            return null;
        }

        return state.Unconfirmed || time.GetTimestamp() < state.ValidUntil ? version : null;
    }

    /// <summary>A renewal that started at <paramref name="started"/> (a <see cref="TimeProvider.GetTimestamp"/>) confirmed these leases.</summary>
    public void Confirm(IReadOnlyDictionary<string, long> versions, long started, TimeSpan lease)
    {
        var validFor = (long)(lease.TotalSeconds * 0.9 * time.TimestampFrequency);
        var before = current.Versions;
        current = new State(versions.ToFrozenDictionary(StringComparer.Ordinal), started + validFor, Unconfirmed: false);
        if (before.Count != versions.Count || versions.Any(v => !before.TryGetValue(v.Key, out var version) || version != v.Value))
        {
            Signal();
        }
    }

    /// <summary>The renewal could not reach the database: keep what is held until it can.</summary>
    public void KeepUnconfirmed() => current = current with { Unconfirmed = true };

    /// <summary>Released on the way out (or by a test): nothing is held.</summary>
    public void Clear()
    {
        current = new State(FrozenDictionary<string, long>.Empty, 0, Unconfirmed: false);
        Signal();
    }

    private void Signal() =>
        Interlocked.Exchange(ref changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private sealed record State(FrozenDictionary<string, long> Versions, long ValidUntil, bool Unconfirmed);
}

/// <summary>Node ids: configured, or the machine and the process.</summary>
internal static class NodeIds
{
    public static string Resolve(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant() : configured.Trim();
}
