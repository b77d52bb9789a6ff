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
public sealed record LevelsTimeline(string Symbol, DateOnly Day, IReadOnlyList<LevelsReading> Readings, IReadOnlyList<Bar> Bars);

/// <summary>The named levels of one analysis.</summary>
public sealed record LevelsReading(DateTimeOffset AsOf, double? ZeroGamma, double? CallWall, double? PutWall, double? MaxPain, double? HedgeWall);
