using HuiHui.Modules.Shared.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HuiHui.Modules.Experts.Data;

/// <summary>Schema <c>moe_analysis</c>: every expert response, partitioned by day of <c>as_of</c> (<see cref="Responses"/>).</summary>
internal sealed class ExpertsDbContext(DbContextOptions<ExpertsDbContext> options) : DbContext(options)
{
    public const string Schema = "moe_analysis";

    /// <summary>The responses as a time series: day partitions on the snapshot's time, kept 180 days unless configured.</summary>
    public static readonly TimeSeriesTable Responses = new(Schema, "expert_responses", "as_of", 180);

    public DbSet<ExpertResponseRecord> ExpertResponses => Set<ExpertResponseRecord>();

    public DbSet<AnalysisHourRecord> AnalysisHours => Set<AnalysisHourRecord>();

    public DbSet<TradeIdeaRecord> TradeIdeas => Set<TradeIdeaRecord>();

    public DbSet<BacktestRunRecord> Backtests => Set<BacktestRunRecord>();

    public DbSet<IdeaGateRecord> IdeaGates => Set<IdeaGateRecord>();

    public DbSet<MarketAlertRecord> MarketAlerts => Set<MarketAlertRecord>();

    public DbSet<AlertSubscriptionRecord> AlertSubscriptions => Set<AlertSubscriptionRecord>();

    /// <summary>Trade ideas as a time series (day partitions on opened_at), kept until configured otherwise: they are the record.</summary>
    public static readonly TimeSeriesTable Ideas = new(Schema, "trade_ideas", "opened_at", 0);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.Entity<TradeIdeaRecord>(idea =>
        {
            idea.ToTable("trade_ideas");
            idea.HasKey(i => new { i.Id, i.OpenedAt });
            idea.Property(i => i.Symbol).HasMaxLength(16);
            idea.Property(i => i.Strategy).HasMaxLength(32);
            idea.Property(i => i.Regime).HasMaxLength(64);
            idea.Property(i => i.Outcome).HasMaxLength(16);
            idea.Property(i => i.Idea).HasColumnType("jsonb");
            idea.HasIndex(i => new { i.Symbol, i.ClosedAt });
            idea.HasIndex(i => i.ClosedAt);
        });

        modelBuilder.Entity<IdeaGateRecord>(gate =>
        {
            gate.ToTable("idea_gates");
            gate.HasKey(g => g.Id);
            gate.Property(g => g.Status).HasMaxLength(16);
            gate.Property(g => g.Report).HasColumnType("jsonb");
            gate.HasIndex(g => g.TrainedAt);
        });

        // Raised once: one row per symbol, kind and snapshot time (a replayed or repeated cycle cannot raise it again).
        modelBuilder.Entity<MarketAlertRecord>(alert =>
        {
            alert.ToTable("market_alerts");
            alert.HasKey(a => a.Id);
            alert.Property(a => a.Symbol).HasMaxLength(16);
            alert.Property(a => a.Kind).HasMaxLength(32);
            alert.Property(a => a.Message).HasMaxLength(512);
            alert.HasIndex(a => new { a.Symbol, a.Kind, a.AsOf }).IsUnique();
            alert.HasIndex(a => a.RaisedAt);
        });

        // Per user (the hub's user id), symbol and kind; '*' as symbol means every symbol.
        modelBuilder.Entity<AlertSubscriptionRecord>(subscription =>
        {
            subscription.ToTable("alert_subscriptions");
            subscription.HasKey(s => new { s.UserId, s.Symbol, s.Kind });
            subscription.Property(s => s.UserId).HasMaxLength(64);
            subscription.Property(s => s.Symbol).HasMaxLength(16);
            subscription.Property(s => s.Kind).HasMaxLength(32);
            subscription.HasIndex(s => new { s.Symbol, s.Kind });
        });

        modelBuilder.Entity<BacktestRunRecord>(run =>
        {
            run.ToTable("backtests");
            run.HasKey(r => r.Id);
            run.Property(r => r.RequestedBy).HasMaxLength(256);
            run.Property(r => r.Symbols).HasMaxLength(600);
            run.Property(r => r.Source).HasMaxLength(1024);
            run.Property(r => r.Status).HasMaxLength(16);
            run.Property(r => r.Report).HasColumnType("jsonb");
            run.HasIndex(r => r.RequestedAt);
        });

        // Per symbol and hour of the snapshot time: what the long-view charts read instead of the raw responses.
        modelBuilder.Entity<AnalysisHourRecord>(hour =>
        {
            hour.ToTable("analysis_hourly");
            hour.HasKey(h => new { h.Symbol, h.Hour });
            hour.Property(h => h.Symbol).HasMaxLength(16);
            hour.Property(h => h.Regimes).HasColumnType("jsonb");
        });

        modelBuilder.Entity<ExpertResponseRecord>(response =>
        {
            response.ToTable("expert_responses", t => t.HasCheckConstraint("ck_expert_responses_confidence_unit", "confidence >= 0 AND confidence <= 1"));
            // Partitioned by day of as_of (migration 'Partitioned'): every key and unique index names it.
            response.HasKey(r => new { r.Id, r.AsOf });
            response.Property(r => r.ExpertId).HasMaxLength(32);
            response.Property(r => r.Symbol).HasMaxLength(16);
            response.Property(r => r.Details).HasColumnType("jsonb");
            response.Property(r => r.Call).HasMaxLength(ExpertResponseRecord.CallLength);

            // History reads newest first, keyset on (as_of, id): all symbols, or one. An expert filter rides on either
            // (each expert is a quarter of the rows). docs/performance.md has the plans.
            response.HasIndex(r => new { r.AsOf, r.Id });
            response.HasIndex(r => new { r.Symbol, r.AsOf, r.Id });
            response.HasIndex(r => r.CycleId);

            // One response per expert per snapshot of a symbol, whichever node (or on-demand run) analysed it: a cycle is
            // never written twice (issue 21's fencing, enforced by the database as well).
            response.HasIndex(r => new { r.Symbol, r.AsOf, r.ExpertId }).IsUnique();
        });
    }
}

/// <summary>
/// One response of one expert. <see cref="Details"/> is the expert's typed response record serialised as JSON;
/// the writer validates it against its record type before insert.
/// </summary>
internal sealed class ExpertResponseRecord
{
    public Guid Id { get; set; }
    public Guid CycleId { get; set; }
    public required string ExpertId { get; set; }
    public required string Symbol { get; set; }
    public required string Details { get; set; }

    public const int CallLength = 200;

    /// <summary>The answer in a few words (the History page's "call"), written with the row so reading never opens the JSON.</summary>
    public string? Call { get; set; }
    public double Confidence { get; set; }
    public DateTimeOffset AsOf { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A trade idea from the day it was proposed to its outcome; open while <see cref="ClosedAt"/> is null.</summary>
internal sealed class TradeIdeaRecord
{
    public Guid Id { get; set; }
    public required string Symbol { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public required string Strategy { get; set; }
    public double Conviction { get; set; }
    public string? Regime { get; set; }

    /// <summary>The <c>TradeIdea</c> as proposed (JSON).</summary>
    public required string Idea { get; set; }
    public DateTimeOffset? MarkedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? Outcome { get; set; }
    public double? ExitSpot { get; set; }
    public double? Pnl { get; set; }
    public double? PnlNatural { get; set; }
    public double? R { get; set; }
}

/// <summary>
/// A backtest started from the hub: what was asked, its progress (<see cref="Snapshots"/>, stamped <see cref="UpdatedAt"/>)
/// and, once done, the report (JSON of <c>BacktestReport</c>) or why it failed. Status: queued, running, done, failed.
/// </summary>
internal sealed class BacktestRunRecord
{
    public Guid Id { get; set; }
    public required string RequestedBy { get; set; }

    /// <summary>Comma-separated.</summary>
    public required string Symbols { get; set; }
    public required string Source { get; set; }
    public DateTimeOffset? From { get; set; }
    public DateTimeOffset? To { get; set; }
    public int? EveryMinutes { get; set; }
    public required string Status { get; set; }
    public int Snapshots { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Report { get; set; }
    public string? Error { get; set; }
}

/// <summary>A trained idea gate (JSON of <c>IdeaGateReport</c>); at most one <c>active</c>.</summary>
internal sealed class IdeaGateRecord
{
    public Guid Id { get; set; }
    public DateTimeOffset TrainedAt { get; set; }
    public required string Status { get; set; }
    public required string Report { get; set; }
}

/// <summary>A market alert raised by <c>Alerts/MarketAlertWatcher</c>.</summary>
internal sealed class MarketAlertRecord
{
    public long Id { get; set; }
    public required string Symbol { get; set; }
    public required string Kind { get; set; }
    public required string Message { get; set; }
    public double? Level { get; set; }
    public DateTimeOffset AsOf { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
}

/// <summary>A user's wish to hear one kind of alert on one symbol.</summary>
internal sealed class AlertSubscriptionRecord
{
    public required string UserId { get; set; }
    public required string Symbol { get; set; }
    public required string Kind { get; set; }
}

/// <summary>One symbol's analyses in one hour (UTC) of snapshot time.</summary>
internal sealed class AnalysisHourRecord
{
    public required string Symbol { get; set; }
    public DateTimeOffset Hour { get; set; }
    public long Cycles { get; set; }
    public long Bullish { get; set; }
    public long Bearish { get; set; }
    public long Neutral { get; set; }
    public double MeanConviction { get; set; }

    /// <summary>Regime (name when the rules named it) → cycles, as JSON.</summary>
    public string Regimes { get; set; } = "{}";
    public double? MeanGex { get; set; }
    public double? MeanFlipDistance { get; set; }
}

internal sealed class ExpertsDesignTimeFactory : IDesignTimeDbContextFactory<ExpertsDbContext>
{
    public ExpertsDbContext CreateDbContext(string[] args) => new(PersistenceRegistration.DesignTimeOptions<ExpertsDbContext>(ExpertsDbContext.Schema));
}
