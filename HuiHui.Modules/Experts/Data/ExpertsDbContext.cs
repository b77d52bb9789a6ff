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

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

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
