using HuiHui.Modules.Cache.Contracts;
using Mediator;

namespace HuiHui.Modules.Ingestion.Contracts;

/// <summary>Where the latest validated snapshot of a symbol lives in the cache (raw tier).</summary>
public static class MarketDataKeys
{
    public static CacheKey<ChainSnapshot> Snapshot(string symbol)
    {
        var upper = symbol.ToUpperInvariant();
        return new CacheKey<ChainSnapshot>(CacheTier.Raw, $"snapshot:{upper}", CacheTags.Symbol(upper)) { SharedAcrossNodes = true };
    }

    /// <summary>The underlying's quote as a streaming provider gave it between snapshots (raw tier).</summary>
    public static CacheKey<UnderlyingQuote> StreamQuote(string symbol)
    {
        var upper = symbol.ToUpperInvariant();
        return new CacheKey<UnderlyingQuote>(CacheTier.Raw, $"stream-quote:{upper}", CacheTags.Symbol(upper)) { SharedAcrossNodes = true };
    }
}

/// <summary>
/// A validated snapshot of <paramref name="Symbol"/> is in the cache under <see cref="MarketDataKeys.Snapshot"/>; it travels
/// with the notification (<paramref name="Snapshot"/>), so handlers never read the cache back (where a newer one may be).
/// <paramref name="OnDemand"/>: fetched for a caller who analyses it itself (<see cref="IngestSnapshot.OnDemand"/>).
/// </summary>
public sealed record SnapshotIngested(string Symbol, DateTimeOffset AsOf, string Source, int Contracts, int Dropped, ChainSnapshot Snapshot, bool OnDemand = false) : INotification;

/// <summary>
/// Fetch, validate and cache one symbol now, from <paramref name="Source"/> (a provider name or <c>file:PATH</c>)
/// or else the configured providers in order. <paramref name="OnDemand"/>: fetched for a caller who uses the snapshot at
/// once (an on-demand analysis), not by the cycle; <see cref="SnapshotIngested.OnDemand"/> says so.
/// </summary>
public sealed record IngestSnapshot(string Symbol, string? Source = null, bool OnDemand = false) : ICommand<IngestResult>;

/// <param name="Symbol">The symbol.</param>
/// <param name="Succeeded">A snapshot was cached; otherwise the last good one stays (stale after its time to live).</param>
/// <param name="Source">The provider that answered.</param>
/// <param name="AsOf">The snapshot's time.</param>
/// <param name="Contracts">Contracts that passed validation.</param>
/// <param name="Dropped">Records dropped, by reason.</param>
/// <param name="Errors">Providers that failed on the way, with why.</param>
public sealed record IngestResult(string Symbol, bool Succeeded, string? Source, DateTimeOffset? AsOf, int Contracts, IReadOnlyList<DropCount> Dropped, IReadOnlyList<string> Errors);

/// <summary>
/// Every snapshot of <paramref name="Symbol"/> in <paramref name="Source"/> (<c>file:PATH</c>, a payload file or a folder;
/// <c>archive</c>: <c>market_data</c>; <c>simulated</c>: a fresh copy of the built-in market, seeded as configured, one
/// snapshot every <paramref name="Every"/>) within [<paramref name="From"/>, <paramref name="To"/>], oldest first, validated
/// and with flow derived from the snapshots before it exactly as the live ingestion does. Streamed: each snapshot is built
/// from what was known at its time only. Duplicates and invalid payloads are skipped and logged.
/// </summary>
/// <remarks>
/// The simulated market's range defaults to the five trading days before the live simulator's start date; its times are
/// those of the simulated calendar (weekdays, 14:30–21:00 UTC).
/// </remarks>
public sealed record ReplaySnapshots(string Symbol, string Source, DateTimeOffset? From = null, DateTimeOffset? To = null, TimeSpan? Every = null) : IStreamQuery<ReplayFrame>
{
    public const string Archive = "archive";

    public const string Simulated = "simulated";
}

/// <summary>
/// One replayed snapshot. <paramref name="DailyBars"/> is the daily history known at its time when the source carries its
/// own (the simulated market: every completed session before the snapshot's day); null means the stored history applies.
/// </summary>
public sealed record ReplayFrame(ChainSnapshot Snapshot, IReadOnlyList<Bar>? DailyBars = null);

/// <summary>The replay source does not exist or holds nothing for the symbol and range.</summary>
public sealed class ReplayUnavailableException(string message) : HuiHui.Modules.Shared.Contracts.RefusedRequestException(message);

/// <summary>Change the fetch loop's interval; applies from the next cycle, without restart.</summary>
public sealed record SetIngestionInterval(TimeSpan Interval) : ICommand;

/// <summary>Change the watch-list (and optionally a symbol's provider order); applies from the next cycle.</summary>
public sealed record SetWatchList(IReadOnlyList<string> Symbols) : ICommand;

/// <summary>Set the provider order for one symbol; an empty list returns it to the default order.</summary>
public sealed record SetSymbolProviders(string Symbol, IReadOnlyList<string> Providers) : ICommand;

public sealed record GetIngestionStatus : IQuery<IngestionStatus>;

/// <summary>The watch-list and cadence only (cheap: no provider or spool figures), e.g. for the Cluster module's leases.</summary>
public sealed record GetWatchList : IQuery<WatchListSettings>;

/// <param name="Interval">How often each symbol is fetched.</param>
/// <param name="Symbols">The watch-list.</param>
/// <param name="Enabled">Whether this node's ingestion loop runs at all (a node that does not fetch takes no symbols).</param>
public sealed record WatchListSettings(TimeSpan Interval, IReadOnlyList<string> Symbols, bool Enabled);

/// <param name="Interval">Time between cycles.</param>
/// <param name="WatchList">Symbols fetched each cycle.</param>
/// <param name="Providers">Each configured provider's health.</param>
/// <param name="Symbols">Each symbol's last fetch: the watch-list first, then symbols fetched on demand.</param>
/// <param name="SpoolFiles">Snapshot files waiting for the archive job.</param>
/// <param name="SpoolBytes">Their size.</param>
/// <param name="Running">The fetch loop is enabled in this process.</param>
/// <param name="SpoolDropped">Snapshots deleted unarchived from a full spool since the start.</param>
public sealed record IngestionStatus(TimeSpan Interval, IReadOnlyList<string> WatchList, IReadOnlyList<ProviderStatus> Providers, IReadOnlyList<SymbolStatus> Symbols, int SpoolFiles, long SpoolBytes, bool Running, long SpoolDropped = 0);

public sealed record ProviderStatus(string Name, bool Healthy, int ConsecutiveFailures, string? LastError, DateTimeOffset? LastSuccess, DateTimeOffset? LastFailure);

public sealed record SymbolStatus(string Symbol, IReadOnlyList<string> Providers, string? LastSource, DateTimeOffset? LastAsOf, DateTimeOffset? LastFetched, int Contracts, int Dropped, string? LastError);

/// <summary>Fetch daily history for <paramref name="Symbols"/> over the last <paramref name="Days"/> days into <c>market_data.underlying_ohlc</c>; idempotent.</summary>
public sealed record BackfillHistory(IReadOnlyList<string> Symbols, int Days, string? Source = null) : ICommand<BackfillReport>;

public sealed record BackfillReport(IReadOnlyList<BackfillSymbolResult> Symbols);

/// <param name="Symbol">The symbol.</param>
/// <param name="Source">The provider that answered, if any did.</param>
/// <param name="Fetched">Valid daily bars received.</param>
/// <param name="Inserted">Bars new to the archive.</param>
/// <param name="Updated">Bars whose values changed (e.g. a day that was partial).</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record BackfillSymbolResult(string Symbol, string? Source, int Fetched, int Inserted, int Updated, string? Error);

/// <summary>
/// Archive the built-in simulated market's 1-minute bars of <paramref name="Symbol"/> within [<paramref name="From"/>,
/// <paramref name="To"/>] (a fresh copy of the market, the live one's seed and start date) into
/// <c>market_data.underlying_ohlc</c>, source <c>simulated</c>: the prices a replay of those simulated days is labelled
/// against. Idempotent; returns the bars new to the archive.
/// </summary>
public sealed record ArchiveSimulatedMinutes(string Symbol, DateTimeOffset From, DateTimeOffset To) : ICommand<int>;

/// <summary>Move spooled snapshots into <c>market_data</c> (COPY into staging, then upsert). Idempotent.</summary>
public sealed record ArchiveSpooledSnapshots : ICommand<ArchiveReport>;

public sealed record ArchiveReport(int Files, int Snapshots, int OptionRows, int BarRows, int NewsRows);

/// <summary>Archived daily bars of <paramref name="Symbol"/> starting within the last <paramref name="Days"/> days before <paramref name="Before"/>, oldest first.</summary>
public sealed record GetDailyBars(string Symbol, int Days, DateTimeOffset Before) : IQuery<IReadOnlyList<Bar>>;

/// <summary>
/// Delete archived headlines published before <paramref name="Before"/>. Option quotes and intraday bars are day-partitioned
/// time series and go by whole partitions (<see cref="HuiHui.Modules.Shared.Contracts.MaintainPartitions"/>); daily bars are
/// history and are kept.
/// </summary>
public sealed record PruneArchive(DateTimeOffset Before) : ICommand<PruneReport>;

public sealed record PruneReport(IReadOnlyDictionary<string, int> RowsDeleted);

/// <summary>
/// The archived underlying price at each of <paramref name="Times"/>: the close of the last minute bar starting at most
/// five minutes before it (null when there is none), and the time of the newest archived minute bar.
/// </summary>
public sealed record GetPricesAt(string Symbol, IReadOnlyList<DateTimeOffset> Times) : IQuery<PricesAt>;

public sealed record PricesAt(IReadOnlyList<double?> Prices, DateTimeOffset? Latest);

/// <summary>The quote of the latest cached snapshot of <paramref name="Symbol"/> (stale ones flagged), or null when none is cached.</summary>
public sealed record GetLatestQuote(string Symbol) : IQuery<LatestQuote?>;

/// <param name="Quote">The underlying's quote.</param>
/// <param name="Source">The provider that gave it.</param>
/// <param name="IsStale">Past the raw tier's time to live: the feed is behind.</param>
public sealed record LatestQuote(UnderlyingQuote Quote, string Source, bool IsStale);

/// <summary>Archived 1-minute bars of <paramref name="Symbol"/> starting within [<paramref name="From"/>, <paramref name="To"/>], oldest first (at most 200,000).</summary>
/// <summary>The distinct times of the option chains archived for <paramref name="Symbol"/> within [<paramref name="From"/>, <paramref name="To"/>], oldest first (at most 5,000).</summary>
public sealed record GetArchivedChainTimes(string Symbol, DateTimeOffset From, DateTimeOffset To) : IQuery<IReadOnlyList<DateTimeOffset>>;

public sealed record GetMinuteBars(string Symbol, DateTimeOffset From, DateTimeOffset To) : IQuery<IReadOnlyList<Bar>>;
