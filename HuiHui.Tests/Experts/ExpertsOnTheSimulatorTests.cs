using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Flow;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Experts.Regime;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Tests.Ingestion;

namespace HuiHui.Tests.Experts;

/// <summary>
/// The experts against the simulator's hidden truth, on seeds no rule was tuned on (the rules were set from the
/// simulator's documented dynamics; these seeds are only ever used here).
/// </summary>
public sealed class ExpertsOnTheSimulatorTests
{
    private static readonly MetricsCalculator Calculator = new(Microsoft.Extensions.Options.Options.Create(new MetricsOptions()));

    private static RegimeLabel Expected(MarketRegime hidden) => hidden switch
    {
        MarketRegime.CalmUptrend => RegimeLabel.LowVolUptrend,
        MarketRegime.VolatileDowntrend or MarketRegime.Crash => RegimeLabel.HighVolDowntrend,
        MarketRegime.RangeBound => RegimeLabel.RangeBound,
        _ => RegimeLabel.VolatilityExpansion,
    };

    [Test]
    public void SimulatedChains_HaveDistinctLevels_TheCallWallAboveThePutWall_AndTheyMove()
    {
        var market = SimulatedMarketTests.Market(seed: 4_242, historyDays: 5);
        var symbols = new[] { "SPY", "QQQ", "IWM", "AAPL", "TSLA" };
        var (ordered, distinct, total) = (0, 0, 0);
        var wallsSeen = new HashSet<(string, double?, double?)>();
        foreach (var symbol in symbols)
        {
            for (var minute = market.CurrentMinute; minute < market.CurrentMinute + 5 * 390; minute += 45)
            {
                var snapshot = market.Snapshot(symbol, minute);
                var levels = Calculator.Compute(snapshot, [], []).KeyLevels;
                total++;
                ordered += levels.CallWall > levels.PutWall ? 1 : 0;
                // Distinct: the walls apart, and the four levels not all within 0.5 % of spot (the old chains put all four on it).
                var four = new[] { levels.CallWall, levels.PutWall, levels.MaxPain, levels.ZeroGamma };
                distinct += levels.CallWall != levels.PutWall && four.Any(l => l is { } v && Math.Abs(v / snapshot.Spot - 1) > 0.005)
                    && four.Distinct().Count() >= 3 ? 1 : 0;
                wallsSeen.Add((symbol, levels.CallWall, levels.PutWall));
            }
        }

        TestContext.Out.WriteLine($"call wall above put wall in {ordered}/{total}; distinct levels in {distinct}/{total}; {wallsSeen.Count} distinct wall pairs");
        Assert.That((double)ordered / total, Is.GreaterThanOrEqualTo(0.9), "call wall above the put wall");
        Assert.That((double)distinct / total, Is.GreaterThanOrEqualTo(0.8), "walls apart, and the levels not all on spot");
        Assert.That(wallsSeen.Count, Is.GreaterThan(symbols.Length * 2), "the walls move over the days");
    }

    [Test]
    public void RegimeExpert_FindsTheHiddenRegime_MostOfTheTime()
    {
        var market = SimulatedMarketTests.Market(seed: 90_210, historyDays: 5);
        var (right, total) = (0, 0);
        var confusion = new Dictionary<(MarketRegime, RegimeLabel), int>();
        for (var minute = market.CurrentMinute; total < 400; minute += 97)
        {
            var snapshot = market.Snapshot("QQQ", minute);
            var truth = market.GroundTruth("QQQ", minute).Regime;
            var answer = MarketRegimeExpert.Assess(snapshot, Calculator.Compute(snapshot, [], [])).Regime;
            right += answer == Expected(truth) ? 1 : 0;
            total++;
            confusion[(truth, answer)] = confusion.GetValueOrDefault((truth, answer)) + 1;
        }

        var accuracy = (double)right / total;
        TestContext.Out.WriteLine($"regime accuracy {accuracy:P1} over {total}: " + string.Join(", ", confusion.OrderBy(c => c.Key.Item1).Select(c => $"{c.Key.Item1}→{c.Key.Item2}: {c.Value}")));
        Assert.That(accuracy, Is.GreaterThan(0.8), "chance is about 0.3");
    }

    [Test]
    public void FlowExpert_LeansWithTheHiddenInformedFlow()
    {
        var market = SimulatedMarketTests.Market(seed: 31_337, historyDays: 5);
        var (agree, decided) = (0, 0);
        for (var minute = market.CurrentMinute; decided < 150 && minute < market.CurrentMinute + 200_000; minute += 61)
        {
            var snapshot = market.Snapshot("IWM", minute);
            var flow = market.GroundTruth("IWM", minute).InformedFlow;
            var metrics = Calculator.Compute(snapshot, [], []);
            var signed = snapshot.Prints.Count(p => p.Side != Modules.Ingestion.Contracts.AggressorSide.Unknown);
            var gross = snapshot.Prints.Sum(p => p.Price * p.Size * 100);
            var answer = OptionsFlowExpert.Assess(metrics, signed, gross);
            if (answer.Bias == Bias.Neutral || Math.Abs(flow) < 0.5)
            {
                continue;
            }

            decided++;
            agree += (answer.Bias == Bias.Bullish) == (flow > 0) ? 1 : 0;
        }

        var share = (double)agree / decided;
        TestContext.Out.WriteLine($"flow bias agrees with the hidden flow in {share:P1} of {decided} decided cases");
        Assert.That(share, Is.GreaterThan(0.65));
    }
}
