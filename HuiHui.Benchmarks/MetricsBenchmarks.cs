using BenchmarkDotNet.Attributes;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Flow;
using HuiHui.Modules.Ingestion.Simulation;

namespace HuiHui.Benchmarks;

/// <summary>
/// The metrics calculator on a 5,000-contract simulated chain with its prints (target, issue 5: ≤ 1 ms); without trades and with
/// a 30-minute tape derived from volume changes (issue 16: derived flow adds ≤ 0.3 ms); and the derivation itself.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class MetricsBenchmarks
{
    private ChainSnapshot snapshot = null!;
    private MetricsCalculator calculator = null!;
    private List<Bar> bars = [];
    private ChainSnapshot noPrints = null!;
    private ChainSnapshot derived = null!;
    private ChainSnapshot tapeFrom = null!;
    private ChainSnapshot traded = null!;
    private readonly FlowTape liveTape = new(FlowTape.DefaultWindow);
    private int step;

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
        noPrints = snapshot with { Prints = [], Flow = new SnapshotFlow(FlowOrigins.VolumeDelta, 0) };
        derived = DerivedSession(noPrints);
        tapeFrom = noPrints with { AsOf = noPrints.AsOf.AddMinutes(-1) };
        traded = Traded(noPrints, 1);
        bars = [.. market.DailyBars("SPY", DateOnly.MinValue, DateOnly.MaxValue)];
        calculator = new MetricsCalculator(Microsoft.Extensions.Options.Options.Create(new MetricsOptions()));
        Console.WriteLine($"// {snapshot.Contracts.Count} contracts, {snapshot.Prints.Count} prints, {bars.Count} daily bars; derived tape: {derived.Prints.Count} trades");
    }

    [Benchmark(Description = "metrics, 5,000 contracts")]
    public MetricsBundle Compute() => calculator.Compute(snapshot, bars, []);

    [Benchmark(Description = "metrics, 5,000 contracts, no trades")]
    public MetricsBundle ComputeWithoutTrades() => calculator.Compute(noPrints, bars, []);

    [Benchmark(Description = "metrics, 5,000 contracts, derived flow (30-minute tape)")]
    public MetricsBundle ComputeWithDerivedFlow() => calculator.Compute(derived, bars, []);

    [Benchmark(Description = "derive flow: one 5,000-contract snapshot against the one before (ingestion)")]
    public int DeriveFlow()
    {
        // Alternating two snapshots a minute apart at ever later times: every call derives one interval, as live.
        step++;
        var snapshot = (step % 2 == 0 ? tapeFrom : traded) with { AsOf = tapeFrom.AsOf.AddMinutes(step) };
        return liveTape.Apply(snapshot).Snapshot?.Prints.Count ?? 0;
    }

    /// <summary>A 30-minute session at a 1-minute cadence where a fifth of the contracts trade each minute: the tape the last snapshot carries.</summary>
    private static ChainSnapshot DerivedSession(ChainSnapshot start)
    {
        var tape = new FlowTape(FlowTape.DefaultWindow);
        var first = start with { AsOf = start.AsOf.AddMinutes(-30) };
        tape.Apply(first);
        ChainSnapshot last = first;
        for (var minute = 1; minute <= 30; minute++)
        {
            last = tape.Apply(Traded(start, minute) with { AsOf = first.AsOf.AddMinutes(minute) }).Snapshot!;
        }

        return last;
    }

    /// <summary><paramref name="start"/> after <paramref name="minute"/> minutes: every fifth contract (rotating) traded 10 more, at the ask or the bid.</summary>
    private static ChainSnapshot Traded(ChainSnapshot start, int minute) => start with
    {
        AsOf = start.AsOf,
        Contracts = start.Contracts.Select((c, i) =>
        {
            var trades = Enumerable.Range(1, minute).Count(m => (i + m) % 5 == 0);
            return trades == 0 ? c : c with { Volume = c.Volume + 10 * trades, Last = (i + minute) % 2 == 0 ? c.Ask : c.Bid };
        }).ToList(),
    };
}
