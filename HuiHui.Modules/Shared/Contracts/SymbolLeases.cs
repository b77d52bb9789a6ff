namespace HuiHui.Modules.Shared.Contracts;

/// <summary>
/// Which symbols this node may fetch and analyse now. One node alone holds every symbol (the default); with
/// <c>HuiHui:Cluster:Enabled</c> the Cluster module leases each symbol of the watch list to exactly one node in PostgreSQL
/// and answers from this node's current leases. Ingestion asks before a fetch, the analysis before it starts and before
/// it writes: a node whose lease ran out or moved stops work on the symbol (docs/architecture.md, "Several nodes").
/// </summary>
public interface ISymbolLeases
{
    /// <summary>This node's id (the machine name and process when not configured).</summary>
    string NodeId { get; }

    /// <summary>The version of this node's lease on <paramref name="symbol"/>, or null when another node (or none) holds it.</summary>
    long? Holds(string symbol);

    /// <summary>Completes when the set of symbols this node holds changes (then read it again); one node alone: never.</summary>
    Task Changed { get; }
}

/// <summary>One node: every symbol is ours, always with version 0.</summary>
public sealed class SingleNodeLeases : ISymbolLeases
{
    public string NodeId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant();

    public long? Holds(string symbol) => 0;

    public Task Changed { get; } = new TaskCompletionSource().Task;
}

/// <summary>This node does not (or no longer) hold the symbol's lease: the work is left to the node that does.</summary>
public sealed class LeaseLostException(string message) : RefusedRequestException(message);
