using HuiHui.Modules.Shared.Contracts;
namespace HuiHui.Modules.Ingestion.Contracts;

/// <summary>
/// Greeks as a provider reported them, normalised to plain partial derivatives: delta and gamma per 1.00 of spot,
/// vega per 1.00 of volatility, theta per year of calendar time, rho per 1.00 of rate (see docs/metrics.md).
/// </summary>
public sealed record ProviderGreeks(double? Delta, double? Gamma, double? Theta, double? Vega, double? Rho);

/// <summary>The direction of a contract's last trade against the trade before it, where a provider reports it (CBOE's <c>tick</c>).</summary>
public enum PriceTick
{
    Unknown,
    Up,
    Down,
    Unchanged,
}

/// <summary>
/// One listed option at one moment. Prices in the underlying's currency per share; implied vol as a decimal (0.165).
/// <paramref name="Volume"/> is the session's cumulative volume; <paramref name="Tick"/> the last trade's tick, when the provider gives it.
/// </summary>
public sealed record OptionContract(
    string OccSymbol,
    string Underlying,
    DateOnly Expiry,
    double Strike,
    OptionRight Right,
    double? Bid,
    double? Ask,
    double? Last,
    long Volume,
    long OpenInterest,
    double? ImpliedVol,
    ProviderGreeks? Greeks,
    DateTimeOffset UpdatedAt,
    PriceTick Tick = PriceTick.Unknown)
{
    public double? Mid => Bid is { } bid && Ask is { } ask ? (bid + ask) / 2 : Last;
}

public sealed record UnderlyingQuote(
    string Symbol,
    double Last,
    double? Bid,
    double? Ask,
    double? Open,
    double? High,
    double? Low,
    double? PreviousClose,
    long Volume,
    DateTimeOffset AsOf);

/// <summary>An OHLCV bar starting at <paramref name="Start"/>; <paramref name="Interval"/> is <c>1d</c> or <c>1m</c>.</summary>
public sealed record Bar(string Symbol, string Interval, DateTimeOffset Start, double Open, double High, double Low, double Close, long Volume)
{
    public const string Daily = "1d";
    public const string Minute = "1m";
}

public enum AggressorSide
{
    Unknown,
    Buy,
    Sell,
}

/// <summary>A trade in a contract (OCC symbol) or the underlying.</summary>
public sealed record TradePrint(string Symbol, double Price, long Size, AggressorSide Side, DateTimeOffset Time);

/// <summary>A headline. <paramref name="Id"/> is provider-qualified (<c>provider:id</c>).</summary>
public sealed record NewsItem(string Id, string Headline, string? Summary, string Source, string? Url, DateTimeOffset PublishedAt, IReadOnlyList<string> Tickers);

/// <summary>Where a snapshot's <see cref="ChainSnapshot.Prints"/> came from.</summary>
public static class FlowOrigins
{
    /// <summary>Trade prints the provider sent (the simulator's tape, Tradier's stream).</summary>
    public const string Prints = "prints";

    /// <summary>Trades derived from the change in each contract's volume between consecutive snapshots.</summary>
    public const string VolumeDelta = "volumeDelta";
}

/// <summary>
/// How the flow of a snapshot was obtained. <paramref name="UnclassifiedVolume"/>: contracts traded in the window whose
/// side could not be told (counted, never guessed). <paramref name="Note"/> says why flow is empty when it is (first snapshot).
/// </summary>
public sealed record SnapshotFlow(string DerivedFrom, long UnclassifiedVolume, string? Note = null);

/// <summary>Records a provider sent that validation dropped, by reason.</summary>
public sealed record DropCount(string Reason, int Count);

/// <summary>
/// Everything known about <paramref name="Symbol"/> at <paramref name="AsOf"/>, validated: the quote, the option chain,
/// recent prints, recent minute bars of the underlying and headlines. <paramref name="Dropped"/> says what was rejected and why;
/// <paramref name="Flow"/> where the prints came from (set at ingestion: prints as sent, or derived from volume changes).
/// </summary>
public sealed record ChainSnapshot(
    string Symbol,
    DateTimeOffset AsOf,
    string Source,
    UnderlyingQuote Quote,
    IReadOnlyList<OptionContract> Contracts,
    IReadOnlyList<TradePrint> Prints,
    IReadOnlyList<Bar> Bars,
    IReadOnlyList<NewsItem> News,
    IReadOnlyList<DropCount> Dropped,
    SnapshotFlow? Flow = null)
{
    public double Spot => Quote.Last;
}
