using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HuiHui.Modules.Cluster.Data;

/// <summary>Schema <c>cluster</c>: the nodes and their symbol leases.</summary>
internal sealed class ClusterDbContext(DbContextOptions<ClusterDbContext> options) : DbContext(options)
{
    public const string Schema = "cluster";

    /// <summary>Every lease ever granted takes the next value: a lease that moves (or comes back) has a higher version.</summary>
    public const string VersionSequence = "lease_version";

    public DbSet<NodeRecord> Nodes => Set<NodeRecord>();

    public DbSet<LeaseRecord> Leases => Set<LeaseRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.HasSequence<long>(VersionSequence, Schema);

        modelBuilder.Entity<NodeRecord>(node =>
        {
            node.ToTable("nodes");
            node.HasKey(n => n.Id);
            node.Property(n => n.Id).HasMaxLength(64);
            node.Property(n => n.Url).HasMaxLength(256);
        });

        modelBuilder.Entity<LeaseRecord>(lease =>
        {
            lease.ToTable("leases");
            lease.HasKey(l => l.Symbol);
            lease.Property(l => l.Symbol).HasMaxLength(16);
            lease.Property(l => l.NodeId).HasMaxLength(64);
            lease.HasIndex(l => l.NodeId);
        });
    }
}

/// <summary>A node: registered at its first renewal, its heartbeat moved at every renewal.</summary>
internal sealed class NodeRecord
{
    public required string Id { get; set; }

    public string? Url { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset HeartbeatAt { get; set; }

    /// <summary>Its lease length: a node whose heartbeat is older than this is not live.</summary>
    public TimeSpan Lease { get; set; }

    /// <summary>The symbols this node would fetch (its watch-list); the cluster's symbols are the live nodes' lists together.</summary>
    public string[] WatchList { get; set; } = [];
}

/// <summary>One symbol held by one node until <see cref="ExpiresAt"/> (renewed while the node lives).</summary>
internal sealed class LeaseRecord
{
    public required string Symbol { get; set; }

    public required string NodeId { get; set; }

    public long Version { get; set; }

    public DateTimeOffset AcquiredAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class ClusterDbContextFactory : IDesignTimeDbContextFactory<ClusterDbContext>
{
    public ClusterDbContext CreateDbContext(string[] args) =>
        new(Shared.Contracts.PersistenceRegistration.DesignTimeOptions<ClusterDbContext>(ClusterDbContext.Schema));
}
