using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;

namespace HuiHui.Modules.Experts.Regime;

/// <summary>
/// Classifies the regime from what the options market shows (rules documented in docs/metrics.md):
/// calls priced over puts (25-delta risk reversal &gt; 0) → volatility expansion / squeeze; a high ATM IV → high-vol
/// downtrend; otherwise the term structure's steepness relative to the IV level separates a low-vol uptrend (steep
/// contango) from a range (flat). Dealer gamma is the sign of total GEX. Confidence grows with the distance from the
/// deciding threshold.
/// </summary>
internal static class MarketRegimeExpert
{
    public const double HighIv = 0.21;
    public const double SteepTerm = 0.085;

    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>The label (the classifier above) and, when <paramref name="rules"/> are given, the regime they name.</summary>
    public static RegimeResponse Assess(ChainSnapshot snapshot, MetricsBundle metrics, RegimeRuleSet? rules = null)
    {
        var vol = metrics.Volatility;
        var (intradayReturn, intradayVol) = Intraday(snapshot.Bars);
        var zeroGammaDistance = metrics.KeyLevels.ZeroGamma is { } zg ? (zg - metrics.Spot) / metrics.Spot : (double?)null;
        var evidence = new RegimeEvidence(vol.AtmIv, vol.TermSlope, vol.RiskReversal25, intradayReturn, intradayVol, metrics.Exposures.GexTotal, zeroGammaDistance);

        RegimeLabel regime;
        double margin;
        if (vol.RiskReversal25 is > 0)
        {
            regime = RegimeLabel.VolatilityExpansion;
            margin = Math.Min(1, vol.RiskReversal25.Value / 0.02);
        }
        else if (vol.AtmIv is { } iv && iv >= HighIv)
        {
            regime = RegimeLabel.HighVolDowntrend;
            margin = Math.Min(1, (iv - HighIv) / 0.05);
        }
        else
        {
            var steepness = vol.TermSlope is { } slope && vol.AtmIv is > 0 ? slope / vol.AtmIv.Value : 0;
            regime = steepness >= SteepTerm ? RegimeLabel.LowVolUptrend : RegimeLabel.RangeBound;
            margin = Math.Min(1, Math.Abs(steepness - SteepTerm) / 0.03);
        }

        var dealerGamma = metrics.Exposures.GexTotal >= 0 ? DealerGamma.Positive : DealerGamma.Negative;
        var notes = new List<string>();
        var transition = false;
        if (zeroGammaDistance is { } distance && Math.Abs(distance) < 0.01)
        {
            transition = true;
            notes.Add($"Spot is within {Math.Abs(distance):P1} of the gamma flip ({metrics.KeyLevels.ZeroGamma:0.00}): dealer hedging can switch from dampening to amplifying moves.");
        }

        var front = vol.Term.Count > 0 ? vol.Term[0].AtmIv : (double?)null;
        if (front is { } f && vol.AtmIv is { } atm && atm > 0 && f / atm > 1.25)
        {
            transition = true;
            notes.Add($"Front-expiry IV {f:P1} is far above the 30-day {atm:P1}: near-term stress.");
        }

        if (dealerGamma == DealerGamma.Negative)
        {
            notes.Add("Dealers are short gamma: their hedging adds to moves; expect wider ranges.");
        }

        if (regime == RegimeLabel.HighVolDowntrend)
        {
            notes.Add("High implied volatility: option premiums are rich, size positions for larger swings.");
        }

        var confidence = Math.Clamp(0.45 + 0.5 * margin - (transition ? 0.15 : 0), 0.05, 0.95);
        var response = new RegimeResponse(regime, dealerGamma, confidence, transition, notes, evidence);
        if (rules is null)
        {
            return response;
        }

        var (name, held) = rules.Evaluate(metrics, Context(snapshot, metrics, intradayReturn, intradayVol));
        return response with { Name = name, RuleEvidence = held };
    }

    public static RegimeContext Context(ChainSnapshot snapshot, MetricsBundle metrics, double? intradayReturn, double? intradayVol)
    {
        var local = TimeZoneInfo.ConvertTime(snapshot.AsOf, NewYork);
        var open = metrics.Eots.ReferencePrice;
        return new RegimeContext(
            intradayReturn,
            intradayVol,
            open is > 0 ? (snapshot.Spot - open.Value) / open.Value : null,
            (new TimeSpan(16, 0, 0) - local.TimeOfDay).TotalMinutes,
            local.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)local.DayOfWeek);
    }

    /// <summary>Return and annualised realised volatility over the snapshot's minute bars.</summary>
    private static (double? Return, double? Vol) Intraday(IReadOnlyList<Bar> bars)
    {
        if (bars.Count < 5)
        {
            return (null, null);
        }

        double sum = 0, squares = 0;
        for (var i = 1; i < bars.Count; i++)
        {
            var r = Math.Log(bars[i].Close / bars[i - 1].Close);
            sum += r;
            squares += r * r;
        }

        var n = bars.Count - 1;
        var variance = Math.Max(squares / n - sum / n * (sum / n), 0);
        return (Math.Log(bars[^1].Close / bars[0].Open), Math.Sqrt(variance * 252 * 390));
    }
}
