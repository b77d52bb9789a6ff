using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Modules.Ingestion.Data;

/// <summary>Schema <c>market_data</c>: the archive of what the providers said.</summary>
internal sealed class IngestionDbContext(DbContextOptions<IngestionDbContext> options) : DbContext(options)
{
    public const string Schema = "market_data";

    /// <summary>Option quotes as a time series: day partitions on the snapshot's time, kept 90 days unless configured.</summary>
    public static readonly TimeSeriesTable OptionsChain = new(Schema, "options_chain", "as_of", 90);

    /// <summary>
    /// <c>underlying_ohlc</c> is partitioned by interval: daily bars in <c>underlying_ohlc_daily</c> (history, kept), every other
    /// interval in this table, itself partitioned by day of <c>ts</c> and kept 90 days unless configured.
    /// </summary>
    public static readonly TimeSeriesTable IntradayBars = new(Schema, "underlying_ohlc_intraday", "ts", 90);

    public DbSet<UnderlyingBar> UnderlyingBars => Set<UnderlyingBar>();

    public DbSet<OptionQuote> OptionQuotes => Set<OptionQuote>();

    public DbSet<NewsItemRecord> NewsItems => Set<NewsItemRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.Entity<UnderlyingBar>(bar =>
        {
            bar.ToTable("underlying_ohlc");
            bar.HasKey(b => new { b.Symbol, b.Interval, b.Ts });
            bar.Property(b => b.Symbol).HasMaxLength(16);
            bar.Property(b => b.Interval).HasMaxLength(8);
            bar.Property(b => b.Source).HasMaxLength(32);
        });

        modelBuilder.Entity<OptionQuote>(quote =>
        {
            quote.ToTable("options_chain", t => t.HasCheckConstraint("ck_options_chain_strike_positive", "strike > 0"));
            quote.HasKey(q => new { q.OccSymbol, q.AsOf });
            quote.Property(q => q.OccSymbol).HasMaxLength(32);
            quote.Property(q => q.Underlying).HasMaxLength(16);
            quote.Property(q => q.Right).HasMaxLength(1);
            quote.Property(q => q.Source).HasMaxLength(32);
            quote.HasIndex(q => new { q.Underlying, q.AsOf });
            quote.HasIndex(q => new { q.Underlying, q.Expiry, q.Strike });
        });

        modelBuilder.Entity<NewsItemRecord>(news =>
        {
            news.ToTable("news_items");
            news.HasKey(n => n.Id);
            news.Property(n => n.Id).HasMaxLength(128);
            news.Property(n => n.Provider).HasMaxLength(32);
            news.HasIndex(n => n.PublishedAt);
            news.HasIndex(n => n.Tickers).HasMethod("gin");
        });
    }
}

/// <summary>One OHLCV bar of an underlying. <see cref="Interval"/> is e.g. <c>1d</c> or <c>1m</c>.</summary>
internal sealed class UnderlyingBar
{
    public required string Symbol { get; set; }
    public required string Interval { get; set; }
    public DateTimeOffset Ts { get; set; }
    public double Open { get; set; }
    public double High { get; set; }
    public double Low { get; set; }
    public double Close { get; set; }
    public long Volume { get; set; }
    public required string Source { get; set; }
    public DateTimeOffset IngestedAt { get; set; }
}

/// <summary>One contract's quote at one snapshot time. <see cref="Right"/> is <c>C</c> or <c>P</c>.</summary>
internal sealed class OptionQuote
{
    public required string OccSymbol { get; set; }
    public DateTimeOffset AsOf { get; set; }
    public required string Underlying { get; set; }
    public DateOnly Expiry { get; set; }
    public double Strike { get; set; }
    public required string Right { get; set; }
    public double? Bid { get; set; }
    public double? Ask { get; set; }
    public double? Last { get; set; }
    public long Volume { get; set; }
    public long OpenInterest { get; set; }
    public double? ImpliedVol { get; set; }
    public double? Delta { get; set; }
    public double? Gamma { get; set; }
    public double? Theta { get; set; }
    public double? Vega { get; set; }
    public double UnderlyingPrice { get; set; }
    public required string Source { get; set; }
}

/// <summary>A headline. <see cref="Id"/> is provider-qualified (<c>provider:id</c>) so re-ingest is idempotent.</summary>
internal sealed class NewsItemRecord
{
    public required string Id { get; set; }
    public required string Headline { get; set; }
    public string? Summary { get; set; }
    public required string Source { get; set; }
    public string? Url { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public string[] Tickers { get; set; } = [];
    public required string Provider { get; set; }
    public DateTimeOffset IngestedAt { get; set; }
}

internal sealed class IngestionDesignTimeFactory : IDesignTimeDbContextFactory<IngestionDbContext>
{
    public IngestionDbContext CreateDbContext(string[] args) => new(PersistenceRegistration.DesignTimeOptions<IngestionDbContext>(IngestionDbContext.Schema));
}
