namespace HuiHui.Host.Pages;

/// <summary>One tab of the symbol page: a coherent set of panels (the EOTS dashboard's modes), chosen by <c>?mode=</c>.</summary>
/// <param name="Key">The value of <c>?mode=</c>.</param>
/// <param name="Title">The tab's label.</param>
/// <param name="Purpose">What the mode is for, shown under the tabs.</param>
/// <param name="Panels">The panels it shows, in order (the <c>data-panel</c> names of <c>_SymbolPanels.cshtml</c>).</param>
internal sealed record SymbolMode(string Key, string Title, string Purpose, IReadOnlyList<string> Panels);

/// <summary>The symbol page's modes, main first (the default). docs/operations.md lists them.</summary>
internal static class SymbolModes
{
    public static readonly IReadOnlyList<SymbolMode> All =
    [
        new("main", "Main", "Everything at a glance: the call, the levels, every expert.",
            ["compass", "levels", "eots", "regime", "flow", "volatility", "sentiment"]),
        new("flow", "Flow", "What customers are doing: signed premium and delta, put/call ratios, dealer gamma by strike, the news.",
            ["flow", "sentiment", "levels"]),
        new("advanced-flow", "Advanced flow", "The EOTS flow intensities (VAPI-FA, DWFD, TW-LAF), the order book's lean, premium by side, blocks, sweeps and unusual contracts.",
            ["advanced-flow", "radar", "flow"]),
        new("structure", "Structure", "Where dealers' hedging sits: exposures by strike and by expiry, walls, zero gamma, ranked levels, A-DAG and E-SDAG.",
            ["structure", "levels", "eots"]),
        new("time-decay", "Time decay", "How the passage of time moves dealers' hedges: charm and theta, D-TDPI by strike, max pain by expiry, end-of-day pressure.",
            ["time-decay", "levels"]),
        new("volatility", "Volatility", "Implied against realised volatility: the smile, the term structure, skew, IV rank, the regime it implies.",
            ["volatility", "regime"]),
        new("monitoring", "Monitoring", "Is the analysis healthy: feed, freshness, stage timings, experts that did not answer, warnings.",
            ["monitoring"]),
        new("ai-hub", "AI hub", "The meta-orchestrator's call and trade idea with its reasons, the learned outlook, the 12-axis compass radar, the experts behind it.",
            ["compass", "radar", "regime", "sentiment"]),
    ];

    /// <summary>The mode named by <paramref name="key"/> (case-insensitive); main when it is empty or unknown.</summary>
    public static SymbolMode Find(string? key) =>
        All.FirstOrDefault(m => string.Equals(m.Key, key?.Trim(), StringComparison.OrdinalIgnoreCase)) ?? All[0];
}
