using HuiHui.Modules.Experts.Contracts;

namespace HuiHui.Modules.Experts.Flow;

/// <summary>
/// Directional bias from aggressor-signed flow: score = 0.4·TW-LAF + 0.2·tanh(VAPI-FA/2) + 0.2·tanh(DWFD/2) +
/// 0.2·(net premium ÷ gross premium), in [−1, 1]; bullish above +0.1, bearish below −0.1. Confidence grows with
/// |score| and with the number of signed prints (full at 200). Plus institutional activity and dealer positioning.
/// </summary>
internal static class OptionsFlowExpert
{
    public const double Threshold = 0.1;

    public static FlowResponse Assess(MetricsBundle metrics, int signedPrints, double grossPremium)
    {
        var flow = metrics.Flow;
        var premiumShare = grossPremium > 0 ? flow.NetPremium / grossPremium : 0;
        var score = Math.Clamp(0.4 * flow.TwLaf + 0.2 * Math.Tanh(flow.VapiFa / 2) + 0.2 * Math.Tanh(flow.Dwfd / 2) + 0.2 * premiumShare, -1, 1);
        var bias = score > Threshold ? Bias.Bullish : score < -Threshold ? Bias.Bearish : Bias.Neutral;
        var confidence = Math.Clamp(Math.Min(1, Math.Abs(score) * 2) * Math.Min(1, signedPrints / 200.0), 0, 1);
        return new FlowResponse(
            bias,
            score,
            confidence,
            new InstitutionalActivity(flow.Blocks, flow.Sweeps, flow.UnusualContracts, flow.LargestBlocks),
            metrics.Exposures.GexTotal >= 0 ? DealerGamma.Positive : DealerGamma.Negative,
            metrics.KeyLevels,
            flow);
    }
}
