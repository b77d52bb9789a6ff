using BenchmarkDotNet.Attributes;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Simulation;

namespace HuiHui.Benchmarks;

/// <summary>The metrics calculator on a 5,000-contract simulated chain with its prints (target, issue 5: ≤ 1 ms).</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class MetricsBenchmarks
{
    private ChainSnapshot snapshot = null!;
    private MetricsCalculator calculator = null!;
    private List<Bar> bars = [];

    [GlobalSetup]
    public void Setup()
    {
        var market = new SimulatedMarket(Microsoft.Extensions.Options.Options.Create(new SimulatorOptions { HistoryDays = 40 }), TimeProvider.System);
        var raw = market.Snapshot("SPY");
        var contracts = raw.Contracts.ToList();
        for (var shift = 0.5; contracts.Count < 5000; shift += 0.25)
        {
            foreach (var c in raw.Contracts)
            {
                if (contracts.Count == 5000)
                {
                    break;
                }

                var strike = c.Strike + shift;
                contracts.Add(c with { Strike = strike, OccSymbol = OccSymbol.Format("SPY", c.Expiry, c.Right, strike) });
            }
        }

        snapshot = raw with { Contracts = contracts.Take(5000).ToList() };
        bars = [.. market.DailyBars("SPY", DateOnly.MinValue, DateOnly.MaxValue)];
        calculator = new MetricsCalculator(Microsoft.Extensions.Options.Options.Create(new MetricsOptions()));
        Console.WriteLine($"// {snapshot.Contracts.Count} contracts, {snapshot.Prints.Count} prints, {bars.Count} daily bars");
    }

    [Benchmark(Description = "metrics, 5,000 contracts")]
    public MetricsBundle Compute() => calculator.Compute(snapshot, bars, []);
}
