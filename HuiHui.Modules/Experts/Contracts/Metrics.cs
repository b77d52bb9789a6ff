namespace HuiHui.Modules.Experts.Contracts;

/// <summary>
/// Everything the metrics calculator derives from one validated snapshot (formulas, units and signs: docs/metrics.md).
/// Dollar figures are per 1 % move of the underlying where noted; "flow" is aggressor-signed (buy at ask +, sell at bid −).
/// </summary>
/// <param name="Symbol">The underlying.</param>
/// <param name="AsOf">The snapshot's time.</param>
/// <param name="Spot">The underlying's price.</param>
/// <param name="Contracts">Contracts used (those with an implied volatility, given or solved from the mid).</param>
/// <param name="ComputedGreeks">Contracts whose delta and gamma were computed because the provider gave none (or invalid ones).</param>
/// <param name="Exposures">Gamma, delta, vanna, charm, vomma, vega and theta exposure by open interest and by the day's volume: totals, by strike, by expiry.</param>
/// <param name="KeyLevels">The named levels: zero gamma (vol trigger), call and put walls, hedge wall, key gamma and delta strikes, max pain.</param>
/// <param name="Volatility">ATM IV and term structure, skew, IV rank, realised volatility.</param>
/// <param name="Flow">Put/call ratios, signed premium and delta flow, blocks and sweeps, the EOTS-style intensities.</param>
/// <param name="Eots">A-DAG, E-SDAG, D-TDPI, VRI 2.0, GIB, HP-EOD and the 0DTE suite.</param>
/// <param name="Levels">Supports and resistances ranked by conviction (best first).</param>
/// <param name="Slice">The part of the chain every figure was computed on.</param>
/// <param name="Warnings">What limits these figures, in plain words (no open interest in the slice, greeks computed for want of the provider's).</param>
/// <param name="Book">What the quoted bid and ask sizes say (LWPAI, VABAI, LIDB, SVR, TPDLF); null from snapshots computed before sizes were read.</param>
public sealed record MetricsBundle(
    string Symbol,
    DateTimeOffset AsOf,
    double Spot,
    int Contracts,
    int ComputedGreeks,
    ExposureMetrics Exposures,
    KeyLevels KeyLevels,
    VolatilityMetrics Volatility,
    FlowMetrics Flow,
    EotsMetrics Eots,
    IReadOnlyList<PriceLevel> Levels,
    SliceUsed Slice,
    IReadOnlyList<string>? Warnings = null,
    OrderBookMetrics? Book = null);

/// <summary>
/// Gamma, delta, vanna, charm and vomma exposure summed over a set of contracts, weighted by open interest or by the day's
/// volume (same units and signs either way: docs/metrics.md).
/// </summary>
/// <param name="Gex">Σ ±gamma × n × 100 × spot² × 0.01 (calls +, puts −): dollars of delta per 1 % move.</param>
/// <param name="Dex">Σ delta × n × 100: share-equivalents.</param>
/// <param name="Vanna">Σ vanna × n × 100 × spot × 0.01: dollars of delta per vol point.</param>
/// <param name="Charm">Σ charm × n × 100 / 365: share-equivalents of delta change per calendar day.</param>
/// <param name="Vomma">Σ vomma × n × 100 × 0.0001: dollars of vega (per vol point) gained per vol point.</param>
public sealed record ExposureSet(double Gex, double Dex, double Vanna, double Charm, double Vomma);

/// <summary>One strike's exposures summed over expiries (open-interest based unless named otherwise). Gamma in dollars per 1 % move (calls +, puts −).</summary>
/// <param name="Vega">Σ vega × OI × 100 × 0.01: dollars per vol point (holders are long vega).</param>
/// <param name="Theta">Σ theta × OI × 100 / 365: dollars per calendar day (holders' side, mostly negative).</param>
/// <param name="CallOi">Call open interest, contracts.</param>
/// <param name="PutOi">Put open interest, contracts.</param>
/// <param name="Volume">The day's volume, contracts.</param>
/// <param name="ByVolume">The same exposures weighted by the day's volume instead of open interest.</param>
public sealed record StrikeExposure(
    double Strike,
    double CallGex,
    double PutGex,
    double NetGex,
    double Dex,
    double Vanna,
    double Charm,
    double Vomma,
    double Vega,
    double Theta,
    double CallOi,
    double PutOi,
    double Volume,
    ExposureSet ByVolume);

/// <summary>One expiry's exposures.</summary>
/// <param name="DaysToExpiry">Calendar days from the session's New York date (0 on the expiry day).</param>
public sealed record ExpiryExposure(DateOnly Expiry, int DaysToExpiry, ExposureSet ByOpenInterest, ExposureSet ByVolume, double OpenInterest, double Volume);

/// <param name="GexTotal">Σ gamma × OI × 100 × spot² × 0.01, calls +, puts −: dollars of delta per 1 % move.</param>
/// <param name="DexTotal">Σ delta × OI × 100: share-equivalents held by option holders.</param>
/// <param name="VannaTotal">Σ vanna × OI × 100 × spot × 0.01: dollars of delta per 1 vol point.</param>
/// <param name="CharmTotal">Σ charm × OI × 100 / 365: share-equivalents of delta change per calendar day.</param>
/// <param name="ByStrike">Ascending by strike.</param>
/// <param name="VommaTotal">Σ vomma × OI × 100 × 0.0001.</param>
/// <param name="VegaTotal">Σ vega × OI × 100 × 0.01.</param>
/// <param name="ThetaTotal">Σ theta × OI × 100 / 365.</param>
/// <param name="ByVolume">All the totals weighted by the day's volume.</param>
/// <param name="ByExpiry">Ascending by expiry.</param>
public sealed record ExposureMetrics(
    double GexTotal,
    double DexTotal,
    double VannaTotal,
    double CharmTotal,
    IReadOnlyList<StrikeExposure> ByStrike,
    double VommaTotal,
    double VegaTotal,
    double ThetaTotal,
    ExposureSet ByVolume,
    IReadOnlyList<ExpiryExposure> ByExpiry);

public sealed record ExpiryMaxPain(DateOnly Expiry, double Strike);

/// <param name="ZeroGamma">Spot at which total GEX (same IVs and times) crosses zero, nearest to spot within ±20 %; null when it does not (also the vol trigger).</param>
/// <param name="CallWall">Strike with the largest call GEX.</param>
/// <param name="PutWall">Strike with the largest absolute put GEX.</param>
/// <param name="MaxPain">Max pain of the nearest expiry.</param>
/// <param name="MaxPainByExpiry">Max pain per expiry.</param>
/// <param name="HedgeWall">The strike nearest spot where net GEX summed from the lowest strike up changes sign: dealers' hedging flips there.</param>
/// <param name="KeyGammaStrike">Strike with the largest absolute net GEX.</param>
/// <param name="KeyDeltaStrike">Strike with the largest absolute delta exposure.</param>
public sealed record KeyLevels(
    double? ZeroGamma,
    double? CallWall,
    double? PutWall,
    double? MaxPain,
    IReadOnlyList<ExpiryMaxPain> MaxPainByExpiry,
    double? HedgeWall = null,
    double? KeyGammaStrike = null,
    double? KeyDeltaStrike = null);

/// <summary>A support (below spot) or resistance (above), ranked by <paramref name="Conviction"/> (0–1).</summary>
/// <param name="Sources">What made it: <c>gamma</c>, <c>openInterest</c>, <c>volume</c>, <c>netPremium</c>, <c>callWall</c>, <c>putWall</c>, <c>zeroGamma</c>, <c>maxPain</c>.</param>
public sealed record PriceLevel(double Price, string Kind, double Conviction, IReadOnlyList<string> Sources)
{
    public const string Support = "support";
    public const string Resistance = "resistance";
}

/// <summary>The slice the metrics used and how much of the chain it kept.</summary>
/// <param name="Contracts">Contracts inside the slice (with an implied volatility).</param>
/// <param name="OutOfSlice">Contracts of the snapshot left outside it.</param>
/// <param name="Description">Plain words, e.g. <c>days to expiry 0–5, strikes within ±5 % of 390.32</c>.</param>
public sealed record SliceUsed(int? MinDte, int? MaxDte, double? StrikeRangePercent, int Contracts, int OutOfSlice, string Description);

/// <summary>EOTS metrics for one strike (open-interest based).</summary>
/// <param name="ADag">Adaptive delta-adjusted gamma exposure, dollars per 1 % move.</param>
/// <param name="ESdag">Skew-adjusted GEX with the delta-weighted (multiplicative) term, dollars per 1 % move.</param>
/// <param name="ESdagDirectional">Skew-adjusted GEX plus weighted dollar delta per 1 % move.</param>
/// <param name="DTdpi">Dynamic time-decay pressure, share-equivalents per day.</param>
/// <param name="Vri2">Volatility regime indicator 2.0, dollars of delta per vol point.</param>
public sealed record StrikeEots(double Strike, double ADag, double ESdag, double ESdagDirectional, double DTdpi, double Vri2);

/// <summary>
/// The 0DTE suite on the contracts expiring on the snapshot's session date. All null, with <paramref name="Reason"/>, when none does.
/// </summary>
/// <param name="Vri">VRI 0DTE: vanna exposure of today's expiry adjusted by its vanna volume and vomma, dollars of delta per vol point.</param>
/// <param name="Vfi">VFI 0DTE: vega traded today ÷ vega open (volume- over OI-weighted vega), ratio.</param>
/// <param name="Vvr">VVR 0DTE: |vanna traded| ÷ |vomma traded| (volume-weighted), ratio.</param>
/// <param name="Vci">VCI 0DTE: Herfindahl concentration of |vanna exposure| across today's strikes, 1/strikes … 1.</param>
public sealed record ZeroDteSuite(DateOnly? Expiry, int Contracts, double? Vri, double? Vfi, double? Vvr, double? Vci, string? Reason);

/// <summary>The EOTS metric arsenal, computed on the slice (formulas, units and the worked examples: docs/metrics.md).</summary>
/// <param name="ADag">Σ A-DAG by strike, dollars per 1 % move.</param>
/// <param name="ESdag">Σ E-SDAG (multiplicative variant, the one the hub shows).</param>
/// <param name="ESdagDirectional">Σ E-SDAG directional variant.</param>
/// <param name="DTdpi">Σ D-TDPI, share-equivalents per day.</param>
/// <param name="CharmToTheta">|charm exposure| ÷ |theta exposure| (shares per dollar of decay), null without theta.</param>
/// <param name="ThetaFlowIntensity">|customer net theta flow| ÷ |theta exposure| over the latest interval, 0 without flow.</param>
/// <param name="Vri2">Σ VRI 2.0, dollars of delta per vol point.</param>
/// <param name="Gib">Gamma imbalance from the configured baseline, dollars of delta per 1 % move (+: dealers long gamma).</param>
/// <param name="HpEod">End-of-day hedging pressure: dollars of the underlying dealers would trade to re-hedge the move since the open (+ buy), time-weighted; null without a reference price.</param>
/// <param name="ReferencePrice">The session's open (first minute bar) or the previous close HP-EOD measured the move from.</param>
/// <param name="ZeroDte">The 0DTE suite.</param>
/// <param name="ByStrike">Ascending by strike.</param>
public sealed record EotsMetrics(
    double ADag,
    double ESdag,
    double ESdagDirectional,
    double DTdpi,
    double? CharmToTheta,
    double ThetaFlowIntensity,
    double Vri2,
    double Gib,
    double? HpEod,
    double? ReferencePrice,
    ZeroDteSuite ZeroDte,
    IReadOnlyList<StrikeEots> ByStrike);

public sealed record ExpiryVolatility(DateOnly Expiry, double Years, double AtmIv);

/// <param name="AtmIv">ATM IV of the expiry nearest 30 days.</param>
/// <param name="Term">ATM IV per expiry.</param>
/// <param name="TermSlope">ATM IV of the farthest expiry minus the nearest (≥ 2 days), decimals: &gt; 0 contango.</param>
/// <param name="RiskReversal25">IV of the 25-delta call minus the 25-delta put (expiry nearest 30 days).</param>
/// <param name="Skew25">IV of the 25-delta put minus ATM IV (same expiry).</param>
/// <param name="IvRank">(ATM IV − min) / (max − min) over the stored history, 0–1; null without history.</param>
/// <param name="IvPercentile">Share of stored readings below the current ATM IV, 0–1.</param>
/// <param name="RealizedCloseToClose">Annualised standard deviation of the last 20 daily log returns.</param>
/// <param name="RealizedParkinson">Annualised Parkinson high-low estimator over the last 20 days.</param>
public sealed record VolatilityMetrics(
    double? AtmIv,
    IReadOnlyList<ExpiryVolatility> Term,
    double? TermSlope,
    double? RiskReversal25,
    double? Skew25,
    double? IvRank,
    double? IvPercentile,
    double? RealizedCloseToClose,
    double? RealizedParkinson);

/// <summary>A large single print.</summary>
public sealed record BlockTrade(string Contract, long Size, double Price, bool Buy, DateTimeOffset Time);

/// <param name="PcrOi">Put open interest / call open interest.</param>
/// <param name="PcrVolume">Put volume / call volume.</param>
/// <param name="NetPremium">Bullish premium (calls bought + puts sold) minus bearish (calls sold + puts bought), dollars, over the prints window.</param>
/// <param name="CallPremium">Calls bought minus calls sold, dollars.</param>
/// <param name="PutPremium">Puts bought minus puts sold, dollars.</param>
/// <param name="NetDeltaFlow">Σ sign × delta × size × 100: share-equivalents customers bought.</param>
/// <param name="Blocks">Prints of at least the block size.</param>
/// <param name="Sweeps">Bursts of same-side prints in one contract within the sweep window.</param>
/// <param name="UnusualContracts">Contracts whose volume exceeds their open interest (and 100 contracts).</param>
/// <param name="VapiFa">Volume-adjusted premium intensity with flow acceleration, z-score of the latest 5-minute reading.</param>
/// <param name="Dwfd">Delta-weighted flow divergence (z-units).</param>
/// <param name="TwLaf">Time-weighted liquidity-adjusted flow, −1 (all selling) to +1 (all buying).</param>
/// <param name="LargestBlocks">Up to five largest blocks.</param>
/// <param name="DerivedFrom"><c>prints</c> (the provider's trades) or <c>volumeDelta</c> (derived from volume changes between snapshots).</param>
/// <param name="NetVolume">Contracts bought minus contracts sold over the window.</param>
/// <param name="UnclassifiedVolume">Contracts traded over the window whose side could not be told; left out of every signed figure.</param>
/// <param name="Note">Why the flow is empty when it is (the first snapshot of a symbol has nothing to difference).</param>
public sealed record FlowMetrics(
    double? PcrOi,
    double? PcrVolume,
    double NetPremium,
    double CallPremium,
    double PutPremium,
    double NetDeltaFlow,
    int Blocks,
    int Sweeps,
    int UnusualContracts,
    double VapiFa,
    double Dwfd,
    double TwLaf,
    IReadOnlyList<BlockTrade> LargestBlocks,
    string DerivedFrom = "prints",
    double NetVolume = 0,
    long UnclassifiedVolume = 0,
    string? Note = null);

/// <summary>
/// What the quoted sizes of the slice say (the original's four "order-book" gauges plus two of its liquidity figures),
/// from the contracts with a two-sided quote, sizes on both sides, |delta| ≥ 0.05 and a spread within 50 % of the mid
/// (formulas and a worked example: docs/metrics.md, "Order book"). All null when no contract qualifies.
/// </summary>
/// <param name="Contracts">Contracts that qualified.</param>
/// <param name="Lwpai">Liquidity-weighted price action: the underlying move the contracts' microprices imply, depth-weighted, basis points of spot (+ up).</param>
/// <param name="Vabai">Volatility-adjusted bid/ask imbalance: Σ w × side × imbalance × IV ÷ Σ w, side +1 calls −1 puts, w = |delta| × depth (IV in decimals, ±IV).</param>
/// <param name="Lidb">Liquidity-implied directional bias: Σ w × side × (bid share − 0.5) ÷ Σ w, −0.5 … +0.5 (+: call bids and put offers dominate).</param>
/// <param name="Svr">Spread-to-volatility ratio: mean of (spread ÷ mid) ÷ IV, the cost of crossing per unit of volatility.</param>
/// <param name="Tpdlf">Trade price deviation, liquidity-filtered: Σ depth × side × (last − mid) ÷ half-spread ÷ Σ depth over the qualifying contracts that traded and quote within 10 % of the mid, −1 … +1.</param>
/// <param name="NotionalImbalance">Σ side × (bid × bid size − ask × ask size) × 100, dollars: the bid notional minus the offered one, bullish-signed. Its change between readings is AOFM.</param>
public sealed record OrderBookMetrics(int Contracts, double? Lwpai, double? Vabai, double? Lidb, double? Svr, double? Tpdlf, double? NotionalImbalance)
{
    public static readonly OrderBookMetrics None = new(0, null, null, null, null, null, null);
}
