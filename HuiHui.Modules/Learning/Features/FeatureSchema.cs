using HuiHui.Modules.Experts.Contracts;

namespace HuiHui.Modules.Learning.Features;

/// <summary>
/// Feature schema version 1: what one analysis contributes to training, in a fixed order (documented in docs/metrics.md).
/// Only what was known at the analysis's as-of time goes in. Missing values are NaN (the trainer replaces them).
/// </summary>
internal static class FeatureSchema
{
    public const int Version = 1;

    public static readonly string[] Names =
    [
        "flow_score", "flow_confidence", "sentiment_score", "sentiment_confidence", "sentiment_momentum",
        "regime_low_vol_uptrend", "regime_high_vol_downtrend", "regime_range_bound", "regime_vol_expansion", "regime_confidence",
        "dealer_gamma_positive", "transition_warning", "meta_direction", "meta_conviction",
        "atm_iv", "term_slope", "risk_reversal_25", "log_pcr_oi", "log_pcr_volume", "gex_signed_log", "zero_gamma_distance",
        "tw_laf", "vapi_fa", "dwfd", "realized_vol_cc", "iv_rank",
    ];

    public static float[] From(Analysis analysis)
    {
        var m = analysis.Metrics;
        var regime = analysis.Regime;
        float F(double? value) => value is { } v && double.IsFinite(v) ? (float)v : float.NaN;
        float Flag(bool? value) => value is { } v ? (v ? 1f : 0f) : float.NaN;
        float Is(RegimeLabel label) => regime is null ? float.NaN : regime.Regime == label ? 1f : 0f;
        var gex = m.Exposures.GexTotal;
        return
        [
            F(analysis.Flow?.Score), F(analysis.Flow?.Confidence), F(analysis.Sentiment?.Score), F(analysis.Sentiment?.Confidence), F(analysis.Sentiment?.Momentum),
            Is(RegimeLabel.LowVolUptrend), Is(RegimeLabel.HighVolDowntrend), Is(RegimeLabel.RangeBound), Is(RegimeLabel.VolatilityExpansion), F(regime?.Confidence),
            Flag(regime is null ? null : regime.DealerGamma == DealerGamma.Positive), Flag(regime?.TransitionWarning),
            F((int)analysis.Meta.Bias * analysis.Meta.Conviction), F(analysis.Meta.Conviction),
            F(m.Volatility.AtmIv), F(m.Volatility.TermSlope), F(m.Volatility.RiskReversal25),
            F(m.Flow.PcrOi is > 0 ? Math.Log(m.Flow.PcrOi.Value) : null), F(m.Flow.PcrVolume is > 0 ? Math.Log(m.Flow.PcrVolume.Value) : null),
            F(Math.Sign(gex) * Math.Log(1 + Math.Abs(gex) / 1e6)),
            F(m.KeyLevels.ZeroGamma is { } z ? (z - m.Spot) / m.Spot : null),
            F(m.Flow.TwLaf), F(m.Flow.VapiFa), F(m.Flow.Dwfd), F(m.Volatility.RealizedCloseToClose), F(m.Volatility.IvRank),
        ];
    }
}
