using System.Globalization;
using HuiHui.Modules.Experts.Contracts;

namespace HuiHui.Modules.Experts.Alerts;

/// <summary>What the alert rules look at in one analysis of a symbol.</summary>
internal sealed record AlertReading(string Symbol, DateTimeOffset AsOf, double Spot, double? CallWall, double? PutWall, double? ZeroGamma, string? Regime)
{
    public static AlertReading Of(Analysis analysis) => new(analysis.Symbol, analysis.AsOf, analysis.Spot,
        analysis.Metrics.KeyLevels.CallWall, analysis.Metrics.KeyLevels.PutWall, analysis.Metrics.KeyLevels.ZeroGamma,
        analysis.Regime is { } regime ? regime.Name ?? regime.Regime.ToString() : null);
}

/// <summary>An idea the tracker closed on this analysis.</summary>
internal sealed record ClosedIdea(string Strategy, string Outcome, double ExitSpot);

/// <summary>A symbol's regime as the alerts know it: the last confirmed name, and a different one seen <see cref="Count"/> times in a row.</summary>
internal sealed class RegimeState
{
    public string? Confirmed { get; set; }

    public string? Pending { get; set; }

    public int Count { get; set; }
}

/// <summary>An alert the rules found, before it is stored.</summary>
internal sealed record AlertCandidate(string Kind, string Message, double? Level);

/// <summary>
/// The market alert rules, on two successive analyses of a symbol (docs/operations.md, "Alerts"). A crossing is judged
/// against the level as the earlier analysis named it, so a wall that moves with the price is not "breached":
/// call wall — previous spot below it, current spot at or above it; put wall — previous spot above it, current at or
/// below it; zero gamma — spot on the other side of the current zero gamma than it was of the previous one. Ideas closed
/// at their stop or target become alerts of their own. A regime change is judged over several analyses
/// (<see cref="RegimeChange"/>).
/// </summary>
internal static class MarketAlertRules
{
    public static List<AlertCandidate> Detect(AlertReading? previous, AlertReading current, IReadOnlyList<ClosedIdea> closed)
    {
        var found = new List<AlertCandidate>();
        var symbol = current.Symbol;
        if (previous is not null)
        {
            if (previous.CallWall is { } call && previous.Spot < call && current.Spot >= call)
            {
                found.Add(new(MarketAlertKinds.CallWall, Text($"{symbol} broke above the call wall {call:F2} (spot {current.Spot:F2})"), call));
            }

            if (previous.PutWall is { } put && previous.Spot > put && current.Spot <= put)
            {
                found.Add(new(MarketAlertKinds.PutWall, Text($"{symbol} broke below the put wall {put:F2} (spot {current.Spot:F2})"), put));
            }

            if (previous.ZeroGamma is { } before && current.ZeroGamma is { } now
                && Math.Sign(previous.Spot - before) is var was and not 0 && Math.Sign(current.Spot - now) is var @is and not 0 && was != @is)
            {
                var side = @is > 0 ? "above it: dealers long gamma (dampening)" : "below it: dealers short gamma (amplifying)";
                found.Add(new(MarketAlertKinds.ZeroGamma, Text($"{symbol} crossed zero gamma {now:F2}, spot {current.Spot:F2} is {side}"), now));
            }

        }

        foreach (var idea in closed)
        {
            if (idea.Outcome is "stop" or "target")
            {
                found.Add(new(idea.Outcome == "stop" ? MarketAlertKinds.IdeaStop : MarketAlertKinds.IdeaTarget,
                    Text($"{symbol} {idea.Strategy} idea hit its {idea.Outcome} (spot {idea.ExitSpot:F2})"), idea.ExitSpot));
            }
        }

        return found;
    }

    /// <summary>
    /// Regime: a name different from the last confirmed one must hold for <paramref name="confirm"/> successive analyses
    /// before it is a change (the rules can flip on one reading at a threshold and back on the next). The first named
    /// regime after a start is confirmed without an alert. Updates <paramref name="state"/>.
    /// </summary>
    public static AlertCandidate? RegimeChange(RegimeState state, string symbol, string? regime, int confirm)
    {
        if (regime is null)
        {
            return null;
        }

        if (state.Confirmed is null || regime == state.Confirmed)
        {
            (state.Confirmed, state.Pending, state.Count) = (regime, null, 0);
            return null;
        }

        (state.Pending, state.Count) = regime == state.Pending ? (regime, state.Count + 1) : (regime, 1);
        if (state.Count < confirm)
        {
            return null;
        }

        var from = state.Confirmed;
        (state.Confirmed, state.Pending, state.Count) = (regime, null, 0);
        return new(MarketAlertKinds.Regime, Text($"{symbol} regime changed from {from} to {regime} (held for {confirm} analyses)"), null);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
