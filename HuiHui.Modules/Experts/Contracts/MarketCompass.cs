namespace HuiHui.Modules.Experts.Contracts;

/// <summary>
/// The 12-axis Market Compass of the original's AI hub: each axis a reading of this analysis, z-scored against the symbol's
/// previous readings (at most <c>HuiHui:Experts:Compass:Window</c>) and scaled to ±1 as z ÷ 3 (clamped), with the previous
/// reading's scaled values to ghost behind it. Axes are null until <paramref name="MinReadings"/> earlier readings exist
/// (docs/metrics.md, "Market Compass").
/// </summary>
/// <param name="Axes">VAPI-FA, DWFD, TW-LAF, VRI 2.0, A-DAG, GIB, LWPAI, VABAI, AOFM, LIDB, SVR, TPDLF, in that order.</param>
/// <param name="Readings">Earlier readings the z-scores were computed against.</param>
/// <param name="MinReadings">Readings needed before an axis is scaled.</param>
/// <param name="PreviousAsOf">The snapshot time of the reading ghosted, if any.</param>
public sealed record MarketCompass(IReadOnlyList<CompassAxis> Axes, int Readings, int MinReadings, DateTimeOffset? PreviousAsOf)
{
    /// <summary>The axes' names, in order.</summary>
    public static readonly IReadOnlyList<string> Names = ["VAPI-FA", "DWFD", "TW-LAF", "VRI 2.0", "A-DAG", "GIB", "LWPAI", "VABAI", "AOFM", "LIDB", "SVR", "TPDLF"];
}

/// <param name="Name">The axis (<see cref="MarketCompass.Names"/>).</param>
/// <param name="Raw">This analysis' value in the metric's own units (docs/metrics.md); null when the snapshot cannot give it (no sizes quoted, no earlier reading for AOFM).</param>
/// <param name="Z">(raw − mean) ÷ standard deviation of the earlier readings; 0 when they do not vary.</param>
/// <param name="Scaled">Z ÷ 3 clamped to −1 … +1.</param>
/// <param name="Previous">The previous reading's <paramref name="Scaled"/>.</param>
public sealed record CompassAxis(string Name, double? Raw, double? Z, double? Scaled, double? Previous);
