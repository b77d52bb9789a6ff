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
/// <paramref name="BidSize"/> and <paramref name="AskSize"/>: contracts quoted at the bid and at the ask (Tradier <c>bidsize</c>/<c>asksize</c>,
/// CBOE <c>bid_size</c>/<c>ask_size</c>), null when the provider does not say.
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
    PriceTick Tick = PriceTick.Unknown,
    long? BidSize = null,
    long? AskSize = null)
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
/// <paramref name="Intervals"/>: with <see cref="FlowOrigins.VolumeDelta"/>, the derived trades of the window summed per
/// snapshot interval, oldest first (the snapshot's <see cref="ChainSnapshot.Prints"/> are then the latest interval's trades only).
/// <paramref name="PartialPrints"/>: the provider's prints cover only some contracts (a stream subscribed to the most active);
/// a provider sets it, and the tape then derives the other contracts' trades beside the prints (<paramref name="Intervals"/>).
/// </summary>
public sealed record SnapshotFlow(string DerivedFrom, long UnclassifiedVolume, string? Note = null, IReadOnlyList<FlowInterval>? Intervals = null, bool PartialPrints = false);

/// <summary>
/// The trades derived from one snapshot interval, summed. All are stamped at <paramref name="At"/> (the snapshot that saw
/// them) and weighted with their contract's delta, mid and spread as quoted in that snapshot; side is +1 bought / −1 sold,
/// direction +1 bullish (calls bought, puts sold), premium = price × size × <see cref="FlowMath.Multiplier"/> dollars.
/// </summary>
/// <param name="CallPremium">Σ side × premium over calls.</param>
/// <param name="PutPremium">Σ side × premium over puts.</param>
/// <param name="NetVolume">Σ side × size: contracts bought minus sold.</param>
/// <param name="DeltaFlow">Σ side × delta × size × 100: share-equivalents bought.</param>
/// <param name="DirectionalVolume">Σ direction × size.</param>
/// <param name="Volume">Σ size of the classified trades.</param>
/// <param name="DeltaWeighted">Σ direction × size × |delta|.</param>
/// <param name="LiquidityWeighted">Σ direction × size × L, L = <see cref="FlowMath.Liquidity"/>.</param>
/// <param name="Liquidity">Σ size × L.</param>
/// <param name="Unclassified">Contracts traded whose side could not be told.</param>
/// <param name="LargeTrades">Derived trades of at least <see cref="FlowMath.LargeTradeFloor"/> contracts, largest first (blocks are counted from these).</param>
public sealed record FlowInterval(
    DateTimeOffset At,
    double CallPremium,
    double PutPremium,
    double NetVolume,
    double DeltaFlow,
    double DirectionalVolume,
    double Volume,
    double DeltaWeighted,
    double LiquidityWeighted,
    double Liquidity,
    long Unclassified,
    IReadOnlyList<TradePrint> LargeTrades);

/// <summary>The conventions the flow shares between prints and derived trades (docs/metrics.md).</summary>
public static class FlowMath
{
    /// <summary>Shares per contract.</summary>
    public const double Multiplier = 100;

    /// <summary>Derived trades of at least this many contracts are kept one by one (as block candidates); the rest only in the sums.</summary>
    public const long LargeTradeFloor = 100;

    /// <summary>Liquidity weight L = 1 / max(spread ÷ mid, 1 %): tight markets weigh more; no quote counts as a 1 % spread.</summary>
    public static double Liquidity(double mid, double spread) => 1 / Math.Max(mid > 0 ? spread / mid : 0.01, 0.01);
}

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
