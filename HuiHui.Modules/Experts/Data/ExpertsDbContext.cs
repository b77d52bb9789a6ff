using HuiHui.Modules.Shared.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HuiHui.Modules.Experts.Data;

/// <summary>Schema <c>moe_analysis</c>: every expert response ever given.</summary>
internal sealed class ExpertsDbContext(DbContextOptions<ExpertsDbContext> options) : DbContext(options)
{
    public const string Schema = "moe_analysis";

    public DbSet<ExpertResponseRecord> ExpertResponses => Set<ExpertResponseRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.Entity<ExpertResponseRecord>(response =>
        {
            response.ToTable("expert_responses", t => t.HasCheckConstraint("ck_expert_responses_confidence_unit", "confidence >= 0 AND confidence <= 1"));
            response.HasKey(r => r.Id);
            response.Property(r => r.ExpertId).HasMaxLength(32);
            response.Property(r => r.Symbol).HasMaxLength(16);
            response.Property(r => r.Details).HasColumnType("jsonb");
            response.HasIndex(r => new { r.Symbol, r.CreatedAt });
            response.HasIndex(r => new { r.ExpertId, r.CreatedAt });
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
    public double Confidence { get; set; }
    public DateTimeOffset AsOf { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class ExpertsDesignTimeFactory : IDesignTimeDbContextFactory<ExpertsDbContext>
{
    public ExpertsDbContext CreateDbContext(string[] args) => new(PersistenceRegistration.DesignTimeOptions<ExpertsDbContext>(ExpertsDbContext.Schema));
}
