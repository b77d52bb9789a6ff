using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Flow;
using HuiHui.Modules.Experts.Meta;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Experts.Regime;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Pricing;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>
/// The analysis's code run once over a small made-up chain, for a process about to analyse for the first time (a one-shot
/// <c>analyze</c>): the host runs it on a spare core while it builds itself (<see cref="ModuleDescriptor.Prime"/>), so the
/// code the analysis then runs is already compiled and bound. Measured cold on the caller's thread: the metrics ~60 ms (their
/// vector kernels are compiled at run time on a machine with AVX-512: the ReadyToRun image targets a narrower baseline),
/// the trade idea ~20 ms, the request's validator ~17 ms (docs/performance.md, "Thirteenth pass"). Nothing it computes is kept.
/// </summary>
internal static class AnalysisPrimer
{
    public static void Prime() => _ = Run();

    /// <summary>The metrics, the experts without services, the meta and the trade idea over <see cref="Chain"/>.</summary>
    internal static (MetricsBundle Metrics, MetaResponse Meta, TradeIdea? Idea, string? NoIdea) Run()
    {
        _ = new Features.AnalyzeSymbolValidator(); // the first validator pays for FluentValidation's expression compiler
        var asOf = DateTimeOffset.UtcNow;
        var snapshot = Chain(asOf);
        var dailyBars = DailyBars(asOf);
        var calculator = new MetricsCalculator(Options.Create(new MetricsOptions()));
        var metrics = calculator.Compute(snapshot, dailyBars, [0.18, 0.21, 0.25]);
        var regime = MarketRegimeExpert.Assess(snapshot, metrics);
        var flow = OptionsFlowExpert.Assess(metrics, snapshot.Prints.Count, 0);
        var meta = MetaOrchestrator.Combine(snapshot.Symbol, metrics, regime, flow, null, MetaOrchestrator.DefaultWeights);
        var (idea, noIdea) = TradeIdeas.Build(snapshot, metrics, dailyBars, meta, regime, minConviction: 0, rate: 0.04, dividend: 0);
        return (metrics, meta, idea, noIdea);
    }

    /// <summary>
    /// Three expiries of 25 strikes around 100, priced by Black–Scholes with a skew: more contracts than a vector holds, so the
    /// vectorised paths run as they do on a real chain.
    /// </summary>
    internal static ChainSnapshot Chain(DateTimeOffset asOf)
    {
        const string symbol = "PRIME";
        const double spot = 100;
        var today = DateOnly.FromDateTime(asOf.UtcDateTime);
        var contracts = new List<OptionContract>();
        foreach (var days in (int[])[1, 8, 36])
        {
            var expiry = today.AddDays(days);
            for (var strike = 70.0; strike <= 130; strike += 2.5)
            {
                foreach (var right in (OptionRight[])[OptionRight.Call, OptionRight.Put])
                {
                    var vol = 0.2 + 0.002 * (spot - strike);
                    var price = BlackScholes.Price(right, spot, strike, days / 365.0, 0.04, 0, vol);
                    var outOfTheMoney = right == OptionRight.Call ? strike > spot : strike < spot;
                    var interest = (long)((outOfTheMoney ? 3_000 : 1_200) * Math.Exp(-Math.Abs(strike - spot) / 10));
                    contracts.Add(new OptionContract(OccSymbol.Format(symbol, expiry, right, strike), symbol, expiry, strike, right,
                        Math.Max(0.01, price - 0.05), price + 0.05, price, interest / 4, interest, vol, null, asOf, BidSize: 10, AskSize: 10));
                }
            }
        }

        var prints = contracts.Take(12).Select((c, i) => new TradePrint(c.OccSymbol, c.Ask ?? 0, 5 + i, i % 2 == 0 ? AggressorSide.Buy : AggressorSide.Sell, asOf.AddSeconds(-i))).ToList();
        var minuteBars = Enumerable.Range(0, 30).Select(i => new Bar(symbol, Bar.Minute, asOf.AddMinutes(i - 30), spot, spot + 0.2, spot - 0.2, spot + 0.05 * (i % 3 - 1), 1_000)).ToList();
        var quote = new UnderlyingQuote(symbol, spot, spot - 0.01, spot + 0.01, 99.5, 100.5, 99.2, 99.8, 1_000_000, asOf);
        return new ChainSnapshot(symbol, asOf, "primer", quote, contracts, prints, minuteBars, [], []);
    }

    private static List<Bar> DailyBars(DateTimeOffset asOf) =>
        Enumerable.Range(1, 60).Select(i =>
        {
            var close = 100 + 3 * Math.Sin(i / 5.0);
            return new Bar("PRIME", Bar.Daily, new DateTimeOffset(asOf.UtcDateTime.Date, TimeSpan.Zero).AddDays(-61 + i), close - 0.5, close + 1, close - 1, close, 50_000_000);
        }).ToList();
}
