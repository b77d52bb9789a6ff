namespace HuiHui.Modules.Ingestion.Simulation;

/// <summary>The simulator's hidden market state. Experts never see it; they have to infer it.</summary>
internal enum MarketRegime
{
    CalmUptrend,
    VolatileDowntrend,
    RangeBound,
    Squeeze,
    Crash,
}

/// <summary>
/// How a regime moves the underlying: annual drift and volatility, jumps per day with their mean size,
/// mean reversion toward the regime's anchor (range-bound, per year), the 30-day ATM implied-vol level, the term
/// slope (positive: longer expiries richer), the put skew (negative: calls richer) and the mean length in minutes.
/// </summary>
internal sealed record RegimeDynamics(
    double Drift,
    double Volatility,
    double JumpsPerDay,
    double JumpMean,
    double MeanReversion,
    double ImpliedVolLevel,
    double TermSlope,
    double Skew,
    double MeanMinutes)
{
    public static RegimeDynamics Of(MarketRegime regime) => regime switch
    {
        MarketRegime.CalmUptrend => new(0.50, 0.11, 0, 0, 0, 0.13, +0.20, 1.0, 3 * 390),
        MarketRegime.VolatileDowntrend => new(-0.30, 0.28, 0.2, -0.006, 0, 0.27, -0.10, 1.5, 2 * 390),
        MarketRegime.RangeBound => new(0, 0.14, 0, 0, 250, 0.15, +0.10, 1.0, 2 * 390),
        MarketRegime.Squeeze => new(1.20, 0.30, 1.0, +0.008, 0, 0.24, -0.05, -0.3, 90),
        MarketRegime.Crash => new(-1.50, 0.55, 2.0, -0.015, 0, 0.45, -0.30, 2.0, 60),
        _ => throw new ArgumentOutOfRangeException(nameof(regime), regime, null),
    };

    /// <summary>Where a regime tends to go when it ends (weights; itself excluded).</summary>
    public static (MarketRegime Next, double Weight)[] Exits(MarketRegime regime) => regime switch
    {
        MarketRegime.CalmUptrend => [(MarketRegime.RangeBound, 0.5), (MarketRegime.VolatileDowntrend, 0.25), (MarketRegime.Squeeze, 0.15), (MarketRegime.Crash, 0.10)],
        MarketRegime.VolatileDowntrend => [(MarketRegime.RangeBound, 0.4), (MarketRegime.Crash, 0.25), (MarketRegime.CalmUptrend, 0.25), (MarketRegime.Squeeze, 0.10)],
        MarketRegime.RangeBound => [(MarketRegime.CalmUptrend, 0.45), (MarketRegime.VolatileDowntrend, 0.35), (MarketRegime.Squeeze, 0.10), (MarketRegime.Crash, 0.10)],
        MarketRegime.Squeeze => [(MarketRegime.CalmUptrend, 0.6), (MarketRegime.RangeBound, 0.4)],
        MarketRegime.Crash => [(MarketRegime.VolatileDowntrend, 0.6), (MarketRegime.RangeBound, 0.4)],
        _ => throw new ArgumentOutOfRangeException(nameof(regime), regime, null),
    };
}
