using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>The exposures a heatmap can show (units as in docs/metrics.md, "Exposures").</summary>
public enum ExposureKind
{
    /// <summary>Gamma exposure, calls + puts −: $ of delta per 1 % move.</summary>
    Gamma,

    /// <summary>Delta exposure: shares.</summary>
    Delta,

    /// <summary>Vanna exposure: $ of delta per vol point.</summary>
    Vanna,

    /// <summary>Charm exposure: $ of delta per day.</summary>
    Charm,

    /// <summary>SGDHP, strike gamma-delta hedging pressure: |gamma| exposure near spot, signed and scaled by the cell's delta exposure ($ per 1 %).</summary>
    Sgdhp,

    /// <summary>IVSDH, implied volatility surface delta: the cell's implied volatility now minus at the session's first archived chain (vol points).</summary>
    Ivsdh,

    /// <summary>UGCH, unified greek confluence: the weighted sum of the cell's z-scored delta, gamma, vega, theta, charm and vanna exposures (z units).</summary>
    Ugch,
}

/// <summary>
/// One exposure (or EOTS heatmap) of <paramref name="Symbol"/> by expiry and strike, weighted by open interest or
/// (<paramref name="ByVolume"/>) the day's volume, over the strikes within <paramref name="StrikeRangePercent"/> % of spot:
/// of the cached snapshot, or with <paramref name="At"/> of the chain Ingestion archived at that time (the day's replay).
/// Null when there is no such snapshot.
/// </summary>
public sealed record GetExposureHeatmap(string Symbol, ExposureKind Kind = ExposureKind.Gamma, bool ByVolume = false, double StrikeRangePercent = 10, DateTimeOffset? At = null) : IQuery<ExposureHeatmap?>;

/// <param name="Values">By expiry (the rows, as <paramref name="Expiries"/>), then by strike (as <paramref name="Strikes"/>).</param>
/// <param name="Reference">IVSDH: the time of the session's first archived chain the change is measured from (null: none archived yet, all cells 0).</param>
/// <param name="Note">What limits the figures, in plain words, when something does.</param>
public sealed record ExposureHeatmap(string Symbol, DateTimeOffset AsOf, double Spot, ExposureKind Kind, bool ByVolume, IReadOnlyList<double> Strikes, IReadOnlyList<DateOnly> Expiries, IReadOnlyList<IReadOnlyList<double>> Values, DateTimeOffset? Reference = null, string? Note = null);

/// <summary>The times of the option chains Ingestion archived for <paramref name="Symbol"/> on <paramref name="Day"/> (UTC), oldest first: the heatmap's replay steps.</summary>
public sealed record GetHeatmapTimes(string Symbol, DateOnly Day) : IQuery<IReadOnlyList<DateTimeOffset>>;
