using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HuiHui.Modules.Monitoring.Data;

/// <summary>Schemas <c>usage_stats</c> (latency and usage) and <c>system_health</c> (alerts and heartbeats).</summary>
internal sealed class MonitoringDbContext(DbContextOptions<MonitoringDbContext> options) : DbContext(options)
{
    public const string UsageSchema = "usage_stats";
    public const string HealthSchema = "system_health";

    /// <summary>Stage latencies, usage and heartbeats as time series (day partitions on the wall-clock time), kept 30 days unless configured.</summary>
    public static readonly TimeSeriesTable StageLatencies = new(UsageSchema, "orchestrator_stats", "occurred_at", 30);

    public static readonly TimeSeriesTable Usage = new(UsageSchema, "huihui_usage", "occurred_at", 30);

    public static readonly TimeSeriesTable Heartbeats = new(HealthSchema, "uptime_logs", "heartbeat_at", 30);

    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();

    public DbSet<OrchestratorStatRecord> OrchestratorStats => Set<OrchestratorStatRecord>();

    public DbSet<AlertRecord> Alerts => Set<AlertRecord>();

    public DbSet<StageHourRecord> StageHours => Set<StageHourRecord>();

    public DbSet<UsageHourRecord> UsageHours => Set<UsageHourRecord>();

    public DbSet<UptimeLogRecord> UptimeLogs => Set<UptimeLogRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(UsageSchema);

        modelBuilder.Entity<UsageRecord>(usage =>
        {
            usage.ToTable("huihui_usage", UsageSchema);
            usage.HasKey(u => new { u.Id, u.OccurredAt });
            usage.Property(u => u.Id).ValueGeneratedOnAdd().UseIdentityByDefaultColumn();
            usage.Property(u => u.Kind).HasMaxLength(16);
            usage.Property(u => u.Name).HasMaxLength(64);
            usage.Property(u => u.Model).HasMaxLength(128);

            // Written in time order and read by time range: a BRIN index is a few pages per partition.
            usage.HasIndex(u => u.OccurredAt).HasMethod("brin");
        });

        modelBuilder.Entity<OrchestratorStatRecord>(stat =>
        {
            stat.ToTable("orchestrator_stats", UsageSchema);
            stat.HasKey(s => new { s.Id, s.OccurredAt });
            stat.Property(s => s.Id).ValueGeneratedOnAdd().UseIdentityByDefaultColumn();
            stat.Property(s => s.Symbol).HasMaxLength(16);
            stat.Property(s => s.Stage).HasMaxLength(32);
            stat.HasIndex(s => s.OccurredAt).HasMethod("brin");
            stat.HasIndex(s => s.CycleId);
        });

        // Hourly rollups, rewritten each minute for the open hour and final once it closes: the hub reads these, never the raw rows.
        modelBuilder.Entity<StageHourRecord>(hour =>
        {
            hour.ToTable("stage_hourly", UsageSchema);
            hour.HasKey(h => new { h.Hour, h.Stage });
            hour.Property(h => h.Stage).HasMaxLength(32);
        });

        modelBuilder.Entity<UsageHourRecord>(hour =>
        {
            hour.ToTable("usage_hourly", UsageSchema);
            hour.HasKey(h => new { h.Hour, h.Kind, h.Name });
            hour.Property(h => h.Kind).HasMaxLength(16);
            hour.Property(h => h.Name).HasMaxLength(64);
        });

        modelBuilder.Entity<AlertRecord>(alert =>
        {
            alert.ToTable("alerts", HealthSchema);
            alert.HasKey(a => a.Id);
            alert.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
            alert.Property(a => a.Source).HasMaxLength(64);
            alert.Property(a => a.Code).HasMaxLength(64);
            // A repeated alert updates its open row (count, last_seen) instead of adding one.
            alert.HasIndex(a => new { a.Source, a.Code }).IsUnique().HasFilter("resolved_at IS NULL").HasDatabaseName("ux_alerts_open_source_code");
            alert.HasIndex(a => a.LastSeen);
        });

        modelBuilder.Entity<UptimeLogRecord>(heartbeat =>
        {
            heartbeat.ToTable("uptime_logs", HealthSchema);
            heartbeat.HasKey(h => new { h.Id, h.HeartbeatAt });
            heartbeat.Property(h => h.Id).ValueGeneratedOnAdd().UseIdentityByDefaultColumn();
            heartbeat.Property(h => h.Component).HasMaxLength(64);
            heartbeat.Property(h => h.Status).HasMaxLength(16);
            heartbeat.HasIndex(h => new { h.Component, h.HeartbeatAt });
        });
    }
}

/// <summary>One expert or LLM call: tokens (LLM only), latency, outcome.</summary>
internal sealed class UsageRecord
{
    public long Id { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public string? Model { get; set; }
    public int? PromptTokens { get; set; }
    public int? CompletionTokens { get; set; }
    public double LatencyMs { get; set; }
    public bool Success { get; set; }
    public string? Error { get; set; }
}

/// <summary>One stage of one orchestrator cycle.</summary>
internal sealed class OrchestratorStatRecord
{
    public long Id { get; set; }
    public Guid CycleId { get; set; }
    public required string Symbol { get; set; }
    public required string Stage { get; set; }
    public double LatencyMs { get; set; }
    public int ItemCount { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
}

/// <summary>One stage in one hour: cycles and latency percentiles (ms).</summary>
internal sealed class StageHourRecord
{
    public DateTimeOffset Hour { get; set; }
    public required string Stage { get; set; }
    public long Count { get; set; }
    public double P50 { get; set; }
    public double P95 { get; set; }
    public double P99 { get; set; }
    public double Max { get; set; }
}

/// <summary>One kind/name of call in one hour.</summary>
internal sealed class UsageHourRecord
{
    public DateTimeOffset Hour { get; set; }
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public long Calls { get; set; }
    public long Failures { get; set; }
    public long PromptTokens { get; set; }
    public long CompletionTokens { get; set; }
    public double MeanLatencyMs { get; set; }
}

/// <summary>An alert; open while <see cref="ResolvedAt"/> is null, deduplicated by (source, code).</summary>
internal sealed class AlertRecord
{
    public long Id { get; set; }
    public AlertSeverity Severity { get; set; }
    public required string Source { get; set; }
    public required string Code { get; set; }
    public required string Message { get; set; }
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
    public int Count { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}

/// <summary>A component's heartbeat.</summary>
internal sealed class UptimeLogRecord
{
    public long Id { get; set; }
    public required string Component { get; set; }
    public DateTimeOffset HeartbeatAt { get; set; }
    public required string Status { get; set; }
    public string? Detail { get; set; }
}

internal sealed class MonitoringDesignTimeFactory : IDesignTimeDbContextFactory<MonitoringDbContext>
{
    public MonitoringDbContext CreateDbContext(string[] args) => new(PersistenceRegistration.DesignTimeOptions<MonitoringDbContext>(MonitoringDbContext.UsageSchema));
}
