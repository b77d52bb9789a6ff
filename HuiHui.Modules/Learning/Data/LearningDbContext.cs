using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HuiHui.Modules.Learning.Data;

/// <summary>Schema <c>training</c>: features, outcome labels and model checkpoints.</summary>
internal sealed class LearningDbContext(DbContextOptions<LearningDbContext> options) : DbContext(options)
{
    public const string Schema = "training";

    /// <summary>Feature vectors as a time series (day partitions on as_of); kept until configured otherwise, as training reads them.</summary>
    public static readonly TimeSeriesTable Features = new(Schema, "feature_vectors", "as_of", 0);

    public DbSet<FeatureVectorRecord> FeatureVectors => Set<FeatureVectorRecord>();

    public DbSet<LabeledExampleRecord> LabeledExamples => Set<LabeledExampleRecord>();

    public DbSet<ModelCheckpointRecord> ModelCheckpoints => Set<ModelCheckpointRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.Entity<FeatureVectorRecord>(vector =>
        {
            vector.ToTable("feature_vectors");
            vector.HasKey(v => new { v.Id, v.AsOf });
            vector.Property(v => v.Id).ValueGeneratedOnAdd().UseIdentityByDefaultColumn();
            vector.Property(v => v.Symbol).HasMaxLength(16);
            vector.Property(v => v.Regime).HasMaxLength(32);
            vector.HasIndex(v => new { v.Symbol, v.AsOf, v.SchemaVersion }).IsUnique();
            vector.HasIndex(v => v.AsOf);
        });

        modelBuilder.Entity<LabeledExampleRecord>(example =>
        {
            example.ToTable("labeled_examples", t => t.HasCheckConstraint("ck_labeled_examples_direction", "direction IN (-1, 0, 1)"));
            example.HasKey(e => e.Id);
            example.Property(e => e.Symbol).HasMaxLength(16);
            example.Property(e => e.ExpertOutcomes).HasColumnType("jsonb");
            // No foreign key: feature vectors are partitioned (a key must name as_of) and may be dropped by retention, while
            // labels stay; a label whose vector is gone is skipped by training's join.
            example.HasIndex(e => new { e.FeatureVectorId, e.HorizonSeconds }).IsUnique();
            example.HasIndex(e => new { e.Symbol, e.AsOf });
        });

        modelBuilder.Entity<ModelCheckpointRecord>(checkpoint =>
        {
            checkpoint.ToTable("model_checkpoints");
            checkpoint.HasKey(c => c.Id);
            checkpoint.Property(c => c.Kind).HasMaxLength(32);
            checkpoint.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
            checkpoint.Property(c => c.Metrics).HasColumnType("jsonb");
            checkpoint.HasIndex(c => new { c.Kind, c.CreatedAt });
            // At most one active checkpoint per kind.
            checkpoint.HasIndex(c => c.Kind).IsUnique().HasFilter("status = 'Active'").HasDatabaseName("ux_model_checkpoints_one_active_per_kind");
        });
    }
}

/// <summary>A symbol's features at <see cref="AsOf"/>; the meaning of each slot is fixed by <see cref="SchemaVersion"/>.</summary>
internal sealed class FeatureVectorRecord
{
    public long Id { get; set; }
    public required string Symbol { get; set; }
    public DateTimeOffset AsOf { get; set; }
    public int SchemaVersion { get; set; }
    public float[] Values { get; set; } = [];
    public string? Regime { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What happened after a feature vector, over one horizon, and whether each expert called it.</summary>
internal sealed class LabeledExampleRecord
{
    public long Id { get; set; }
    public long FeatureVectorId { get; set; }
    public required string Symbol { get; set; }
    public DateTimeOffset AsOf { get; set; }
    public int HorizonSeconds { get; set; }
    public double ForwardReturn { get; set; }
    public short Direction { get; set; }
    public double? RealizedVolChange { get; set; }
    public required string ExpertOutcomes { get; set; }
    public DateTimeOffset LabeledAt { get; set; }
}

/// <summary>A trained model and its validation metrics.</summary>
internal sealed class ModelCheckpointRecord
{
    public Guid Id { get; set; }
    public required string Kind { get; set; }
    public CheckpointStatus Status { get; set; }
    public byte[] Model { get; set; } = [];
    public required string Metrics { get; set; }
    public int FeatureSchemaVersion { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PromotedAt { get; set; }
}

internal sealed class LearningDesignTimeFactory : IDesignTimeDbContextFactory<LearningDbContext>
{
    public LearningDbContext CreateDbContext(string[] args) => new(PersistenceRegistration.DesignTimeOptions<LearningDbContext>(LearningDbContext.Schema));
}
