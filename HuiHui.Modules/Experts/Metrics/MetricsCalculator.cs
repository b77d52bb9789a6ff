using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts.Metrics;

/// <summary>
/// One validated snapshot → the <see cref="MetricsBundle"/>: the chain sliced, greeks once per contract (structure of
/// arrays), then exposures, named and ranked levels, volatility, flow and the EOTS metrics. Stateless and thread-safe;
/// history (daily bars, past ATM IVs) comes in.
/// </summary>
internal sealed class MetricsCalculator(IOptions<MetricsOptions> options)
{
    /// <summary>The configured default slice (<c>HuiHui:Experts:Metrics:Slice</c>).</summary>
    public ChainSlice DefaultSlice => options.Value.Slice.ToSlice();

    /// <summary>The risk-free rate and the symbol's dividend yield the metrics price with.</summary>
    public (double Rate, double Dividend) RatesFor(string symbol) => (options.Value.RiskFreeRate, options.Value.DividendYieldFor(symbol));

    /// <exception cref="EmptySliceException">No contract of the snapshot is inside <paramref name="slice"/>.</exception>
    public MetricsBundle Compute(ChainSnapshot snapshot, IReadOnlyList<Bar> dailyBars, IReadOnlyList<double> atmIvHistory, ChainSlice? slice = null)
    {
        var settings = options.Value;
        slice ??= settings.Slice.ToSlice();
        using var chain = ChainArrays.From(snapshot, settings.RiskFreeRate, settings.DividendYieldFor(snapshot.Symbol), slice);
        var description = slice.Describe(snapshot.Spot);
        if (chain.Count == 0)
        {
            throw new EmptySliceException(chain.OutOfSlice > 0
                ? $"no contract of {snapshot.Symbol} is inside the slice ({description}): all {chain.OutOfSlice} contracts are outside it; widen the days to expiry or the strike range"
                : $"no contract of {snapshot.Symbol} has an implied volatility (given or solvable from its prices)");
        }

        var exposures = StructureMetrics.Exposures(chain, out var strikeOf);
        var (callWall, putWall) = StructureMetrics.Walls(exposures);
        var (hedgeWall, keyGamma, keyDelta) = StructureMetrics.StrikeLevels(exposures, chain.Spot);
        var order = chain.ByKey; // by expiry, strike, right
        var maxPain = StructureMetrics.MaxPain(chain, order);
        var openInterest = 0.0;
        for (var i = 0; i < chain.Count; i++)
        {
            openInterest += chain.OpenInterest[i];
        }

        var warnings = new List<string>();
        if (openInterest <= 0)
        {
            warnings.Add($"no open interest in {description} of {snapshot.Symbol}: exposures, walls, zero gamma, max pain and the EOTS metrics read zero or none; the volume-weighted exposures still count");
        }

        if (chain.ComputedGreeks > 0)
        {
            warnings.Add($"{chain.ComputedGreeks} of {chain.Count} contracts came without usable delta and gamma from {snapshot.Source}: computed with Black-Scholes from their implied volatility");
        }

        var named = new KeyLevels(openInterest > 0 ? StructureMetrics.ZeroGamma(chain) : null, callWall, putWall, openInterest > 0 && maxPain.Count > 0 ? maxPain[0].Strike : null, openInterest > 0 ? maxPain : [], hedgeWall, keyGamma, keyDelta);
        var volatility = VolatilityCalculator.Compute(chain, order, dailyBars, atmIvHistory);
        var prints = new FlowCalculator.ContractLookup(chain);
        var flow = FlowCalculator.Compute(chain, snapshot, volatility.AtmIv, settings, prints);
        var netContracts = FlowCalculator.NetContracts(chain, snapshot.Prints, prints, out var netPremium);
        var eots = EotsCalculator.Compute(chain, exposures, strikeOf, volatility, netContracts, snapshot, settings.Eots);
        var premiumByStrike = new double[exposures.ByStrike.Count];
        for (var i = 0; i < chain.Count; i++)
        {
            premiumByStrike[strikeOf[i]] += netPremium[i];
        }

        var levels = LevelRanker.Rank(exposures, named, chain.Spot, premiumByStrike, settings.Levels);
        var used = new SliceUsed(slice.MinDte, slice.MaxDte, slice.StrikeRangePercent, chain.Count, chain.OutOfSlice, description);
        var book = OrderBookCalculator.Compute(chain, snapshot);
        return new MetricsBundle(snapshot.Symbol, snapshot.AsOf, snapshot.Spot, chain.Count, chain.ComputedGreeks, exposures, named, volatility, flow, eots, levels, used, warnings, book);
    }
}
