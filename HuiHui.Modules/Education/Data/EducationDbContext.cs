using HuiHui.Modules.Education.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using NpgsqlTypes;

namespace HuiHui.Modules.Education.Data;

/// <summary>Schema <c>education</c>: documents, their chunks (with full-text vectors) and embeddings.</summary>
internal sealed class EducationDbContext(DbContextOptions<EducationDbContext> options) : DbContext(options)
{
    public const string Schema = "education";

    /// <summary>The GIN index of <c>chunks.search_vector</c> (named by the EF convention).</summary>
    public const string SearchIndex = "education.ix_chunks_search_vector";

    public DbSet<DocumentRecord> Documents => Set<DocumentRecord>();

    public DbSet<ChunkRecord> Chunks => Set<ChunkRecord>();

    public DbSet<EmbeddingRecord> Embeddings => Set<EmbeddingRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.Entity<DocumentRecord>(document =>
        {
            document.ToTable("documents");
            document.HasKey(d => d.Id);
            document.Property(d => d.DocType).HasConversion<string>().HasMaxLength(16);
            document.Property(d => d.ContentHash).HasMaxLength(64);
            document.HasIndex(d => d.Uri).IsUnique();
            document.HasIndex(d => d.Tags).HasMethod("gin");
        });

        modelBuilder.Entity<ChunkRecord>(chunk =>
        {
            chunk.ToTable("chunks");
            chunk.HasKey(c => c.Id);
            chunk.HasOne<DocumentRecord>().WithMany().HasForeignKey(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
            chunk.HasIndex(c => new { c.DocumentId, c.Ordinal }).IsUnique();
            chunk.HasGeneratedTsVectorColumn(c => c.SearchVector, "english", c => new { c.Heading, c.Content })
                .HasIndex(c => c.SearchVector)
                .HasMethod("gin");
        });

        modelBuilder.Entity<EmbeddingRecord>(embedding =>
        {
            embedding.ToTable("embeddings");
            embedding.HasKey(e => new { e.ChunkId, e.ModelId });
            embedding.Property(e => e.ModelId).HasMaxLength(128);
            embedding.HasOne<ChunkRecord>().WithMany().HasForeignKey(e => e.ChunkId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

/// <summary>One ingested file or page; <see cref="ContentHash"/> (SHA-256 hex) makes re-ingest a no-op.</summary>
internal sealed class DocumentRecord
{
    public Guid Id { get; set; }
    public required string Uri { get; set; }
    public required string Title { get; set; }
    public DocumentType DocType { get; set; }
    public required string ContentHash { get; set; }
    public long SizeBytes { get; set; }
    public string[] Tags { get; set; } = [];
    public DateTimeOffset IngestedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A structure-aware passage; <see cref="Location"/> says where in the document it sits (heading path, page, cell).</summary>
internal sealed class ChunkRecord
{
    public Guid Id { get; set; }
    public Guid DocumentId { get; set; }
    public int Ordinal { get; set; }
    public string? Heading { get; set; }
    public required string Location { get; set; }
    public required string Content { get; set; }
    public int TokenCount { get; set; }
    public NpgsqlTsVector SearchVector { get; set; } = null!;
}

/// <summary>A chunk's vector under one embedding model.</summary>
internal sealed class EmbeddingRecord
{
    public Guid ChunkId { get; set; }
    public required string ModelId { get; set; }
    public int Dimension { get; set; }
    public float[] Vector { get; set; } = [];
}

internal sealed class EducationDesignTimeFactory : IDesignTimeDbContextFactory<EducationDbContext>
{
    public EducationDbContext CreateDbContext(string[] args) => new(PersistenceRegistration.DesignTimeOptions<EducationDbContext>(EducationDbContext.Schema));
}
