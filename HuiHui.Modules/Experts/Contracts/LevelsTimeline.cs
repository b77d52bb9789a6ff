using HuiHui.Modules.Ingestion.Contracts;
using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>
/// How the named levels of <paramref name="Symbol"/> moved through one UTC day (<paramref name="Day"/>; default the day of
/// its latest stored analysis), from the stored meta responses, with the underlying's archived minute bars of that day.
/// </summary>
public sealed record GetLevelsTimeline(string Symbol, DateOnly? Day = null) : IQuery<LevelsTimeline?>;

/// <param name="Readings">One per stored analysis, oldest first (at most 5,000: the most recent of the day).</param>
/// <param name="Bars">The day's archived 1-minute bars of the underlying (empty when none were archived).</param>
/// <param name="Band">Net gamma by strike at each option chain archived that day, oldest first (empty when none was).</param>
public sealed record LevelsTimeline(string Symbol, DateOnly Day, IReadOnlyList<LevelsReading> Readings, IReadOnlyList<Bar> Bars, IReadOnlyList<GammaBandColumn> Band);

/// <summary>
/// Net gamma exposure by strike of one archived chain: the same figure as <c>metrics.exposures.byStrike[].netGex</c> of
/// <c>analyze --json</c> on that snapshot (whole chain, the metrics' own greeks), in dollars of delta per 1 % move
/// (+: dealers long gamma, dampening), for the strikes within <see cref="GammaBandColumn.Window"/> of spot.
/// </summary>
/// <param name="Strikes">Pairs of [strike, net GEX], ascending by strike.</param>
public sealed record GammaBandColumn(DateTimeOffset AsOf, double Spot, IReadOnlyList<double[]> Strikes)
{
    /// <summary>Strikes farther than this fraction of spot are left out of the band.</summary>
    public const double Window = 0.05;
}

/// <summary>The named levels of one analysis.</summary>
public sealed record LevelsReading(DateTimeOffset AsOf, double? ZeroGamma, double? CallWall, double? PutWall, double? MaxPain, double? HedgeWall);
