using System.Globalization;
using HuiHui.Modules.Experts.Contracts;

namespace HuiHui.Modules.Experts.Meta;

/// <summary>
/// Combines the three experts. Direction d = (w_flow·flow score·c_flow + w_sent·sentiment score·c_sent + w_regime·regime
/// lean·c_regime) / (Σ weights of experts present); regime lean is +0.5 for a low-vol uptrend, −0.5 for a high-vol
/// downtrend, 0 otherwise. Bullish above +0.05, bearish below −0.05. Conviction = min(1, |d|·4) × mean confidence ×
/// (1 − 0.3 per missing expert). Strategy from bias, implied volatility (rich above IV rank 0.5, or ATM IV ≥ 20 % without
/// history), conviction (debit spreads when rich and conviction ≥ 0.6) and regime; the complete idea is <see cref="TradeIdeas"/>. Narrative from a template.
/// </summary>
internal static class MetaOrchestrator
{
    public static readonly GatingWeights DefaultWeights = new(Regime: 0.25, Flow: 0.5, Sentiment: 0.25, Source: "default");

    /// <summary>Every strategy <see cref="Combine"/> can name (the analysis cites passages per regime × strategy, and warms them all at start).</summary>
    public static readonly IReadOnlyList<string> Strategies =
        ["call debit spread", "put credit spread", "long calls", "put debit spread", "call credit spread", "long puts", "long straddle", "iron condor", "calendar spread"];

    public static MetaResponse Combine(string symbol, MetricsBundle metrics, RegimeResponse? regime, FlowResponse? flow, SentimentResponse? sentiment, GatingWeights weights)
    {
        var missing = new List<string>();
        double direction = 0, totalWeight = 0, confidence = 0;
        var present = 0;
        if (flow is not null)
        {
            direction += weights.Flow * flow.Score * flow.Confidence;
            totalWeight += weights.Flow;
            confidence += flow.Confidence;
            present++;
        }
        else
        {
            missing.Add(ExpertIds.Flow);
        }

        if (sentiment is not null)
        {
            direction += weights.Sentiment * sentiment.Score * sentiment.Confidence;
            totalWeight += weights.Sentiment;
            confidence += sentiment.Confidence;
            present++;
        }
        else
        {
            missing.Add(ExpertIds.Sentiment);
        }

        if (regime is not null)
        {
            var lean = regime.Regime switch { RegimeLabel.LowVolUptrend => 0.5, RegimeLabel.HighVolDowntrend => -0.5, _ => 0 };
            direction += weights.Regime * lean * regime.Confidence;
            totalWeight += weights.Regime;
            confidence += regime.Confidence;
            present++;
        }
        else
        {
            missing.Add(ExpertIds.Regime);
        }

        direction = totalWeight > 0 ? direction / totalWeight : 0;
        var bias = direction > 0.05 ? Bias.Bullish : direction < -0.05 ? Bias.Bearish : Bias.Neutral;
        var conviction = present == 0 ? 0 : Math.Clamp(Math.Min(1, Math.Abs(direction) * 4) * (confidence / present) * (1 - 0.3 * missing.Count), 0, 1);
        var vol = metrics.Volatility;
        var richVol = vol.IvRank is { } rank ? rank >= 0.5 : vol.AtmIv is >= 0.20;
        var levels = metrics.KeyLevels;
        var (strategy, rationale) = Strategy(bias, conviction, richVol, regime, levels, metrics.Spot);

        var notes = new List<string>();
        if (regime is not null)
        {
            notes.AddRange(regime.RiskNotes);
        }

        foreach (var name in missing)
        {
            notes.Add($"The {name} expert did not answer this cycle; conviction is reduced.");
        }

        var narrative = Narrative(symbol, metrics, regime, flow, sentiment, bias, conviction, strategy);
        return new MetaResponse(bias, conviction, strategy, rationale, levels, notes, narrative, missing, weights);
    }

    internal static (string Strategy, string Rationale) Strategy(Bias bias, double conviction, bool richVol, RegimeResponse? regime, KeyLevels levels, double spot)
    {
        string Level(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "n/a";
        var volWord = richVol ? "rich" : "cheap";
        return bias switch
        {
            Bias.Bullish when richVol && conviction >= 0.6 => ("call debit spread", $"Strongly bullish with {volWord} premium: buy a call spread toward the call wall ({Level(levels.CallWall)}), the sold call paying for part of the rich volatility."),
            Bias.Bullish when richVol => ("put credit spread", $"Bullish flow with {volWord} premium: sell puts below the put wall ({Level(levels.PutWall)}) and collect the rich volatility."),
            Bias.Bullish => ("long calls", $"Bullish flow with {volWord} premium: buy calls toward the call wall ({Level(levels.CallWall)})."),
            Bias.Bearish when richVol && conviction >= 0.6 => ("put debit spread", $"Strongly bearish with {volWord} premium: buy a put spread toward the put wall ({Level(levels.PutWall)}), the sold put paying for part of the rich volatility."),
            Bias.Bearish when richVol => ("call credit spread", $"Bearish flow with {volWord} premium: sell calls above the call wall ({Level(levels.CallWall)})."),
            Bias.Bearish => ("long puts", $"Bearish flow with {volWord} premium: buy puts toward the put wall ({Level(levels.PutWall)})."),
            _ when regime?.Regime == RegimeLabel.VolatilityExpansion => ("long straddle", "No clear direction but volatility is expanding: own both sides."),
            _ when regime?.DealerGamma == DealerGamma.Positive && richVol =>
                ("iron condor", $"No clear direction, dealers long gamma pin the price: sell the range between the put wall ({Level(levels.PutWall)}) and the call wall ({Level(levels.CallWall)})."),
            _ => ("calendar spread", $"No clear direction and {volWord} premium: sell the front, buy the back, centred near max pain ({Level(levels.MaxPain ?? spot)})."),
        };
    }

    private static string Narrative(string symbol, MetricsBundle metrics, RegimeResponse? regime, FlowResponse? flow, SentimentResponse? sentiment, Bias bias, double conviction, string strategy)
    {
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>
        {
            string.Create(c, $"{symbol} at {metrics.Spot:0.00}: {bias.ToString().ToLowerInvariant()} with {conviction:P0} conviction; the idea is a {strategy}."),
        };
        if (regime is not null)
        {
            parts.Add(string.Create(c, $"Regime: {Words(regime.Regime)} ({regime.Confidence:P0}), dealers {(regime.DealerGamma == DealerGamma.Positive ? "long" : "short")} gamma (GEX {metrics.Exposures.GexTotal / 1e6:0.0} M$ per 1 %)."));
        }

        if (flow is not null)
        {
            parts.Add(string.Create(c, $"Flow is {flow.Bias.ToString().ToLowerInvariant()} (score {flow.Score:+0.00;-0.00;0.00}), {flow.Institutional.Blocks} block(s) and {flow.Institutional.Sweeps} sweep(s)."));
        }

        if (sentiment is not null)
        {
            parts.Add(string.Create(c, $"News is {sentiment.Bias.ToString().ToLowerInvariant()} (score {sentiment.Score:+0.00;-0.00;0.00} over {sentiment.Headlines.Count} headline(s))."));
        }

        var levels = metrics.KeyLevels;
        parts.Add(string.Create(c, $"Levels: put wall {levels.PutWall:0.##}, call wall {levels.CallWall:0.##}, zero gamma {(levels.ZeroGamma is { } z ? z.ToString("0.00", c) : "none within 20 %")}, max pain {levels.MaxPain:0.##}."));
        return string.Join(" ", parts);
    }

    private static string Words(RegimeLabel regime) => regime switch
    {
        RegimeLabel.LowVolUptrend => "low-volatility uptrend",
        RegimeLabel.HighVolDowntrend => "high-volatility downtrend",
        RegimeLabel.RangeBound => "range-bound",
        _ => "volatility expansion",
    };
}
