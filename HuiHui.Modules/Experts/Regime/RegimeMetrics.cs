using System.Collections.Frozen;
using HuiHui.Modules.Experts.Contracts;

namespace HuiHui.Modules.Experts.Regime;

/// <summary>What the regime rules can read beside the metrics bundle: the session so far.</summary>
/// <param name="IntradayReturn">ln(last close / first open) over the snapshot's minute bars.</param>
/// <param name="IntradayVol">Annualised realised volatility of those bars.</param>
/// <param name="MoveSinceOpen">(spot − session open) / session open, fraction.</param>
/// <param name="MinutesToClose">Minutes to the 16:00 New York close (negative after it).</param>
/// <param name="DayOfWeek">New York weekday, 1 = Monday … 7 = Sunday.</param>
internal sealed record RegimeContext(double? IntradayReturn, double? IntradayVol, double? MoveSinceOpen, double MinutesToClose, int DayOfWeek);

/// <summary>
/// The metrics a regime rule may name: the analysis's scalar metrics by their JSON path under <c>metrics</c>
/// (<c>flow.vapiFa</c>, <c>eots.hpEod</c>, <c>eots.zeroDte.vri</c>, <c>volatility.atmIv</c> …), a few derived distances and
/// the session context. A leaf name alone (<c>vapiFa</c>) is accepted when it is unique; case does not matter. The list is
/// documented in docs/metrics.md.
/// </summary>
internal static class RegimeMetrics
{
    private static readonly (string Name, Func<MetricsBundle, RegimeContext, double?> Read)[] Entries =
    [
        ("spot", (m, _) => m.Spot),
        ("contracts", (m, _) => m.Contracts),
        ("exposures.gexTotal", (m, _) => m.Exposures.GexTotal),
        ("exposures.dexTotal", (m, _) => m.Exposures.DexTotal),
        ("exposures.vannaTotal", (m, _) => m.Exposures.VannaTotal),
        ("exposures.charmTotal", (m, _) => m.Exposures.CharmTotal),
        ("exposures.vommaTotal", (m, _) => m.Exposures.VommaTotal),
        ("exposures.vegaTotal", (m, _) => m.Exposures.VegaTotal),
        ("exposures.thetaTotal", (m, _) => m.Exposures.ThetaTotal),
        ("exposures.byVolume.gex", (m, _) => m.Exposures.ByVolume.Gex),
        ("exposures.byVolume.dex", (m, _) => m.Exposures.ByVolume.Dex),
        ("exposures.byVolume.vanna", (m, _) => m.Exposures.ByVolume.Vanna),
        ("exposures.byVolume.charm", (m, _) => m.Exposures.ByVolume.Charm),
        ("exposures.byVolume.vomma", (m, _) => m.Exposures.ByVolume.Vomma),
        ("keyLevels.zeroGamma", (m, _) => m.KeyLevels.ZeroGamma),
        ("keyLevels.callWall", (m, _) => m.KeyLevels.CallWall),
        ("keyLevels.putWall", (m, _) => m.KeyLevels.PutWall),
        ("keyLevels.maxPain", (m, _) => m.KeyLevels.MaxPain),
        ("keyLevels.hedgeWall", (m, _) => m.KeyLevels.HedgeWall),
        ("zeroGammaDistance", (m, _) => Distance(m.KeyLevels.ZeroGamma, m.Spot)),
        ("callWallDistance", (m, _) => Distance(m.KeyLevels.CallWall, m.Spot)),
        ("putWallDistance", (m, _) => Distance(m.KeyLevels.PutWall, m.Spot)),
        ("nearestLevelDistance", (m, _) => NearestLevel(m)),
        ("volatility.atmIv", (m, _) => m.Volatility.AtmIv),
        ("volatility.termSlope", (m, _) => m.Volatility.TermSlope),
        ("volatility.riskReversal25", (m, _) => m.Volatility.RiskReversal25),
        ("volatility.skew25", (m, _) => m.Volatility.Skew25),
        ("volatility.ivRank", (m, _) => m.Volatility.IvRank),
        ("volatility.ivPercentile", (m, _) => m.Volatility.IvPercentile),
        ("volatility.realizedCloseToClose", (m, _) => m.Volatility.RealizedCloseToClose),
        ("volatility.realizedParkinson", (m, _) => m.Volatility.RealizedParkinson),
        ("flow.pcrOi", (m, _) => m.Flow.PcrOi),
        ("flow.pcrVolume", (m, _) => m.Flow.PcrVolume),
        ("flow.netPremium", (m, _) => m.Flow.NetPremium),
        ("flow.callPremium", (m, _) => m.Flow.CallPremium),
        ("flow.putPremium", (m, _) => m.Flow.PutPremium),
        ("flow.netDeltaFlow", (m, _) => m.Flow.NetDeltaFlow),
        ("flow.netVolume", (m, _) => m.Flow.NetVolume),
        ("flow.blocks", (m, _) => m.Flow.Blocks),
        ("flow.sweeps", (m, _) => m.Flow.Sweeps),
        ("flow.unusualContracts", (m, _) => m.Flow.UnusualContracts),
        ("flow.vapiFa", (m, _) => m.Flow.VapiFa),
        ("flow.dwfd", (m, _) => m.Flow.Dwfd),
        ("flow.twLaf", (m, _) => m.Flow.TwLaf),
        ("eots.aDag", (m, _) => m.Eots.ADag),
        ("eots.eSdag", (m, _) => m.Eots.ESdag),
        ("eots.eSdagDirectional", (m, _) => m.Eots.ESdagDirectional),
        ("eots.dTdpi", (m, _) => m.Eots.DTdpi),
        ("eots.charmToTheta", (m, _) => m.Eots.CharmToTheta),
        ("eots.thetaFlowIntensity", (m, _) => m.Eots.ThetaFlowIntensity),
        ("eots.vri2", (m, _) => m.Eots.Vri2),
        ("eots.gib", (m, _) => m.Eots.Gib),
        ("eots.hpEod", (m, _) => m.Eots.HpEod),
        ("eots.zeroDte.vri", (m, _) => m.Eots.ZeroDte.Vri),
        ("eots.zeroDte.vfi", (m, _) => m.Eots.ZeroDte.Vfi),
        ("eots.zeroDte.vvr", (m, _) => m.Eots.ZeroDte.Vvr),
        ("eots.zeroDte.vci", (m, _) => m.Eots.ZeroDte.Vci),
        ("session.intradayReturn", (_, c) => c.IntradayReturn),
        ("session.intradayVol", (_, c) => c.IntradayVol),
        ("session.moveSinceOpen", (_, c) => c.MoveSinceOpen),
        ("session.absMoveSinceOpen", (_, c) => c.MoveSinceOpen is { } move ? Math.Abs(move) : null),
        ("session.minutesToClose", (_, c) => c.MinutesToClose),
        ("session.dayOfWeek", (_, c) => c.DayOfWeek),
    ];

    private static readonly FrozenDictionary<string, Func<MetricsBundle, RegimeContext, double?>> ByName = BuildIndex();

    /// <summary>Every full name, in documentation order.</summary>
    public static IEnumerable<string> Names => Entries.Select(e => e.Name);

    /// <summary>The reader of <paramref name="name"/> (full path or unique leaf, any case), or null when no metric has that name.</summary>
    public static Func<MetricsBundle, RegimeContext, double?>? Find(string? name) =>
        name is not null && ByName.TryGetValue(name.Trim(), out var read) ? read : null;

    private static FrozenDictionary<string, Func<MetricsBundle, RegimeContext, double?>> BuildIndex()
    {
        var index = new Dictionary<string, Func<MetricsBundle, RegimeContext, double?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, read) in Entries)
        {
            index[name] = read;
        }

        foreach (var group in Entries.Where(e => !e.Name.Contains(".byVolume.", StringComparison.Ordinal)).GroupBy(e => e.Name[(e.Name.LastIndexOf('.') + 1)..], StringComparer.OrdinalIgnoreCase))
        {
            if (group.Count() == 1 && !index.ContainsKey(group.Key))
            {
                index[group.Key] = group.Single().Read;
            }
        }

        return index.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static double? Distance(double? level, double spot) => level is { } l && spot > 0 ? (l - spot) / spot : null;

    private static double? NearestLevel(MetricsBundle m)
    {
        double? best = null;
        foreach (var level in m.Levels)
        {
            var d = Math.Abs(level.Price - m.Spot) / m.Spot;
            best = best is { } b ? Math.Min(b, d) : d;
        }

        return best;
    }
}
