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
/// <param name="Exposures">Gamma, delta, vanna and charm exposure, total and by strike.</param>
/// <param name="Levels">Zero gamma, walls, max pain.</param>
/// <param name="Volatility">ATM IV and term structure, skew, IV rank, realised volatility.</param>
/// <param name="Flow">Put/call ratios, signed premium and delta flow, blocks and sweeps, the EOTS-style intensities.</param>
public sealed record MetricsBundle(
    string Symbol,
    DateTimeOffset AsOf,
    double Spot,
    int Contracts,
    int ComputedGreeks,
    ExposureMetrics Exposures,
    KeyLevels Levels,
    VolatilityMetrics Volatility,
    FlowMetrics Flow);

/// <summary>One strike's exposures summed over expiries. Gamma in dollars per 1 % move (calls +, puts −).</summary>
public sealed record StrikeExposure(double Strike, double CallGex, double PutGex, double NetGex, double Dex, double Vanna, double Charm);

/// <param name="GexTotal">Σ gamma × OI × 100 × spot² × 0.01, calls +, puts −: dollars of delta per 1 % move.</param>
/// <param name="DexTotal">Σ delta × OI × 100: share-equivalents held by option holders.</param>
/// <param name="VannaTotal">Σ vanna × OI × 100 × spot × 0.01: dollars of delta per 1 vol point.</param>
/// <param name="CharmTotal">Σ charm × OI × 100 / 365: share-equivalents of delta change per calendar day.</param>
/// <param name="ByStrike">Ascending by strike.</param>
public sealed record ExposureMetrics(double GexTotal, double DexTotal, double VannaTotal, double CharmTotal, IReadOnlyList<StrikeExposure> ByStrike);

public sealed record ExpiryMaxPain(DateOnly Expiry, double Strike);

/// <param name="ZeroGamma">Spot at which total GEX (same IVs and times) crosses zero, nearest to spot within ±20 %; null when it does not.</param>
/// <param name="CallWall">Strike with the largest call GEX.</param>
/// <param name="PutWall">Strike with the largest absolute put GEX.</param>
/// <param name="MaxPain">Max pain of the nearest expiry.</param>
/// <param name="MaxPainByExpiry">Max pain per expiry.</param>
public sealed record KeyLevels(double? ZeroGamma, double? CallWall, double? PutWall, double? MaxPain, IReadOnlyList<ExpiryMaxPain> MaxPainByExpiry);

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
