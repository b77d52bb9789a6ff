using System.ComponentModel.DataAnnotations;

namespace HuiHui.Modules.Ingestion;

/// <summary><c>HuiHui:Ingestion</c>: what to fetch, how often and from where. The hub's control panel changes these at run time.</summary>
internal sealed class IngestionOptions
{
    public const string Section = "HuiHui:Ingestion";

    /// <summary>Run the fetch loop (off in some tests and CLI-only setups).</summary>
    public bool Enabled { get; set; } = true;

    // Lists start empty: the configuration binder appends to a list's initial items instead of replacing them.
    // IngestionModule fills defaults after binding.
    public List<string> WatchList { get; set; } = [];

    /// <summary>Time between fetch cycles (real time).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Providers to try in order for symbols not listed in <see cref="SymbolProviders"/>.</summary>
    public List<string> Providers { get; set; } = [];

    /// <summary>Per-symbol provider order, e.g. <c>"SPY": ["tradier", "cboe", "simulated"]</c>.</summary>
    public Dictionary<string, List<string>> SymbolProviders { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Extra headline sources merged into snapshots (e.g. <c>alphavantage</c>); the simulated market brings its own.</summary>
    public List<string> NewsProviders { get; set; } = [];

    /// <summary>The folder the <c>file</c> provider replays (saved Tradier/CBOE JSON or the CSV chain format).</summary>
    public string? ReplayPath { get; set; }

    /// <summary>Where snapshots wait for the archive job (every minute).</summary>
    [Required]
    public string SpoolPath { get; set; } = ".data/spool/ingestion";

    /// <summary>The spool's cap: past it the oldest spooled files are deleted (counted, with the alert <c>ingestion/spool-full</c>).</summary>
    [Range(1_000_000, long.MaxValue)]
    public long SpoolMaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Option chains are archived at most this often per symbol (real time); quotes, bars and news always.</summary>
    public TimeSpan ArchiveChainEvery { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the first cycle waits for the start-up warm-ups (models read, analysis compiled); zero: not at all.</summary>
    public TimeSpan WarmupWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Days of daily history the nightly backfill asks for.</summary>
    [Range(1, 3650)]
    public int BackfillDays { get; set; } = 30;

    /// <summary>Archived headlines older than this are deleted by Ingestion's daily prune job (0 keeps them).</summary>
    [Range(0, 36500)]
    public int NewsRetentionDays { get; set; } = 90;

    /// <summary>Fetch at most this many symbols at once.</summary>
    [Range(1, 32)]
    public int Parallelism { get; set; } = 4;
}
