using System.ComponentModel.DataAnnotations;

namespace HuiHui.Modules.Cluster;

/// <summary>
/// <c>HuiHui:Cluster</c>: several nodes on one PostgreSQL (docs/operations.md, "Several nodes"). Off by default: one node
/// holds every symbol, as it always did.
/// </summary>
internal sealed class ClusterOptions
{
    public const string Section = "HuiHui:Cluster";

    /// <summary>Lease the watch-list's symbols among the nodes registered in <c>cluster.nodes</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>This node's id; default the machine name and the process id.</summary>
    [MaxLength(64)]
    public string? NodeId { get; set; }

    /// <summary>Where this node's hub answers (shown by <c>huihui cluster status</c>); default the first URL Kestrel listens on.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// How long a lease lasts without renewal, in ingestion intervals. A node renews four times per lease; a node that stops
    /// renewing loses its symbols after this long and the others take them at their next renewal, so a symbol is fetched
    /// again within <c>1.25 × LeaseIntervals</c> intervals plus the taker's next cycle (1.25 → the lease moves within 1.6).
    /// </summary>
    [Range(1.0, 10.0)]
    public double LeaseIntervals { get; set; } = 1.25;

    /// <summary>The shortest lease, whatever the interval (a 1 s cadence would otherwise renew every 0.4 s).</summary>
    public TimeSpan MinimumLease { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Nodes silent for longer than this are removed from <c>cluster.nodes</c> (their leases went long before).</summary>
    public TimeSpan ForgetNodesAfter { get; set; } = TimeSpan.FromHours(1);
}
