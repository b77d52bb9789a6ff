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
}

/// <summary>
/// One exposure of the cached snapshot of <paramref name="Symbol"/> by expiry and strike, weighted by open interest or
/// (<paramref name="ByVolume"/>) the day's volume, over the strikes within <paramref name="StrikeRangePercent"/> % of spot.
/// </summary>
public sealed record GetExposureHeatmap(string Symbol, ExposureKind Kind = ExposureKind.Gamma, bool ByVolume = false, double StrikeRangePercent = 10) : IQuery<ExposureHeatmap?>;

/// <param name="Values">By expiry (the rows, as <paramref name="Expiries"/>), then by strike (as <paramref name="Strikes"/>).</param>
public sealed record ExposureHeatmap(string Symbol, DateTimeOffset AsOf, double Spot, ExposureKind Kind, bool ByVolume, IReadOnlyList<double> Strikes, IReadOnlyList<DateOnly> Expiries, IReadOnlyList<IReadOnlyList<double>> Values);
