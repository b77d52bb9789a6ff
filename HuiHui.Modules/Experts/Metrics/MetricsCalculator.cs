using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts.Metrics;

/// <summary>
/// One validated snapshot → the <see cref="MetricsBundle"/>: greeks once per contract (structure of arrays), then
/// exposures, key levels, volatility and flow. Stateless and thread-safe; history (daily bars, past ATM IVs) comes in.
/// </summary>
internal sealed class MetricsCalculator(IOptions<MetricsOptions> options)
{
    public MetricsBundle Compute(ChainSnapshot snapshot, IReadOnlyList<Bar> dailyBars, IReadOnlyList<double> atmIvHistory)
    {
        var settings = options.Value;
        var chain = ChainArrays.From(snapshot, settings.RiskFreeRate, settings.DividendYieldFor(snapshot.Symbol));
        var exposures = StructureMetrics.Exposures(chain, out _);
        var (callWall, putWall) = StructureMetrics.Walls(exposures);
        var order = chain.ByKey; // by expiry, strike, right
        var maxPain = StructureMetrics.MaxPain(chain, order);
        var levels = new KeyLevels(StructureMetrics.ZeroGamma(chain), callWall, putWall, maxPain.Count > 0 ? maxPain[0].Strike : null, maxPain);
        var volatility = VolatilityCalculator.Compute(chain, order, dailyBars, atmIvHistory);
        var flow = FlowCalculator.Compute(chain, snapshot, volatility.AtmIv, settings);
        return new MetricsBundle(snapshot.Symbol, snapshot.AsOf, snapshot.Spot, chain.Count, chain.ComputedGreeks, exposures, levels, volatility, flow);
    }
}
