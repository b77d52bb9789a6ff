using HuiHui.Modules.Shared.Contracts;
namespace HuiHui.Modules.Ingestion.Contracts;

/// <summary>
/// Greeks as a provider reported them, normalised to plain partial derivatives: delta and gamma per 1.00 of spot,
/// vega per 1.00 of volatility, theta per year of calendar time, rho per 1.00 of rate (see docs/metrics.md).
/// </summary>
public sealed record ProviderGreeks(double? Delta, double? Gamma, double? Theta, double? Vega, double? Rho)
{
    // Stored unboxed (see CompactField): five doubles take 40 bytes where five double? took 80.
    private readonly double delta = CompactField.Pack(Delta);
    private readonly double gamma = CompactField.Pack(Gamma);
    private readonly double theta = CompactField.Pack(Theta);
    private readonly double vega = CompactField.Pack(Vega);
    private readonly double rho = CompactField.Pack(Rho);

    public double? Delta { get => CompactField.Unpack(delta); init => delta = CompactField.Pack(value); }

    public double? Gamma { get => CompactField.Unpack(gamma); init => gamma = CompactField.Pack(value); }

    public double? Theta { get => CompactField.Unpack(theta); init => theta = CompactField.Pack(value); }

    public double? Vega { get => CompactField.Unpack(vega); init => vega = CompactField.Pack(value); }

    public double? Rho { get => CompactField.Unpack(rho); init => rho = CompactField.Pack(value); }
}

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
    // A live hub holds one chain per symbol and builds a new one every cycle, so the contract's size is the feed's
    // allocation rate (docs/performance.md, twelfth pass). Its fields are stored unboxed: a missing price or size is a
    // sentinel rather than a Nullable's flag and padding, the time is its clock ticks and offset, the enums a byte each:
    // 128 bytes an object where the plain record took 192. The public shape (constructor, properties, JSON) is unchanged.
    private readonly double bid = CompactField.Pack(Bid);
    private readonly double ask = CompactField.Pack(Ask);
    private readonly double last = CompactField.Pack(Last);
    private readonly double impliedVol = CompactField.Pack(ImpliedVol);
    private readonly long bidSize = CompactField.Pack(BidSize);
    private readonly long askSize = CompactField.Pack(AskSize);
    private readonly long updatedTicks = UpdatedAt.Ticks;
    private readonly short updatedOffset = CompactField.OffsetMinutes(UpdatedAt);
    private readonly byte right = (byte)Right;
    private readonly byte tick = (byte)Tick;

    public OptionRight Right { get => (OptionRight)right; init => right = (byte)value; }

    public double? Bid { get => CompactField.Unpack(bid); init => bid = CompactField.Pack(value); }

    public double? Ask { get => CompactField.Unpack(ask); init => ask = CompactField.Pack(value); }

    public double? Last { get => CompactField.Unpack(last); init => last = CompactField.Pack(value); }

    public double? ImpliedVol { get => CompactField.Unpack(impliedVol); init => impliedVol = CompactField.Pack(value); }

    public DateTimeOffset UpdatedAt
    {
        get => new(updatedTicks, TimeSpan.FromMinutes(updatedOffset));
        init
        {
            updatedTicks = value.Ticks;
            updatedOffset = CompactField.OffsetMinutes(value);
        }
    }

    public PriceTick Tick { get => (PriceTick)tick; init => tick = (byte)value; }

    public long? BidSize { get => CompactField.Unpack(bidSize); init => bidSize = CompactField.Pack(value); }

    public long? AskSize { get => CompactField.Unpack(askSize); init => askSize = CompactField.Pack(value); }

    public double? Mid => Bid is { } b && Ask is { } a ? (b + a) / 2 : Last;
}

/// <summary>
/// Nullable numbers stored without <see cref="Nullable{T}"/>'s flag and padding. A missing double is one NaN with a payload
/// of its own, so a NaN a provider really sent stays NaN (validation drops it) and never reads back as missing; a missing
/// long is <see cref="long.MinValue"/>, which no size or count takes.
/// </summary>
internal static class CompactField
{
    private const long MissingBits = 0x7FF8_0000_4855_4955; // a quiet NaN whose payload spells "HUIU"

    private static readonly double Missing = BitConverter.Int64BitsToDouble(MissingBits);

    public static double Pack(double? value) => value ?? Missing;

    public static double? Unpack(double value) => BitConverter.DoubleToInt64Bits(value) == MissingBits ? null : value;

    public static long Pack(long? value) => value ?? long.MinValue;

    public static long? Unpack(long value) => value == long.MinValue ? null : value;

    /// <summary>The offset in whole minutes, which is all <see cref="DateTimeOffset"/> keeps.</summary>
    public static short OffsetMinutes(DateTimeOffset value) => (short)(value.Offset.Ticks / TimeSpan.TicksPerMinute);
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
