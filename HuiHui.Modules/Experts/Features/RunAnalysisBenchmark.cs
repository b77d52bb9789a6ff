using System.Diagnostics;
using FluentValidation;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;

namespace HuiHui.Modules.Experts.Features;

internal sealed class RunAnalysisBenchmarkValidator : AbstractValidator<RunAnalysisBenchmark>
{
    public RunAnalysisBenchmarkValidator()
    {
        RuleFor(c => c.Symbol).NotEmpty();
        RuleFor(c => c.Cycles).InclusiveBetween(1, 1_000_000);
        RuleFor(c => c.Contracts).InclusiveBetween(1, 100_000);
        RuleFor(c => c.WarmupCycles).InclusiveBetween(0, 10_000);
    }
}

internal sealed class RunAnalysisBenchmarkHandler(IEnhancedCache cache, AnalysisRunner runner, IMediator mediator) : ICommandHandler<RunAnalysisBenchmark, AnalysisBenchmark>
{
    public async ValueTask<AnalysisBenchmark> Handle(RunAnalysisBenchmark command, CancellationToken cancellationToken)
    {
        var symbol = command.Symbol.ToUpperInvariant();
        var fetched = await mediator.Send(new IngestSnapshot(symbol, OnDemand: true), cancellationToken);
        var raw = (await cache.TryGetAsync(MarketDataKeys.Snapshot(symbol), cancellationToken))?.Value;
        if (!fetched.Succeeded || raw is null || raw.Contracts.Count == 0)
        {
            throw new AnalysisUnavailableException($"no snapshot of {symbol} to benchmark: {string.Join("; ", fetched.Errors)}");
        }

        var snapshot = raw with { Contracts = Widen(raw.Contracts, command.Contracts) };
        await cache.SetAsync(MarketDataKeys.Snapshot(symbol), snapshot, cancellationToken);

        var stages = new Dictionary<string, List<double>> { ["snapshot"] = [], ["metrics"] = [], ["experts"] = [], ["meta"] = [], ["total"] = [] };
        for (var cycle = 0; cycle < command.WarmupCycles + command.Cycles; cycle++)
        {
            var started = Stopwatch.GetTimestamp();
            var cached = (await cache.TryGetAsync(MarketDataKeys.Snapshot(symbol), cancellationToken))!.Value.Value;
            var current = cached with { AsOf = cached.AsOf.AddTicks(cycle + 1) }; // a new snapshot time: metrics computed, not cached
            var analysis = await runner.RunAsync(current, mediator, Stopwatch.GetElapsedTime(started).TotalMilliseconds, cancellationToken, AnalysisMode.Benchmark);
            if (cycle >= command.WarmupCycles)
            {
                var t = analysis.TimingsMs;
                stages["snapshot"].Add(t.Snapshot);
                stages["metrics"].Add(t.Metrics);
                stages["experts"].Add(t.Experts);
                stages["meta"].Add(t.Meta);
                stages["total"].Add(t.Total);
            }
        }

        await cache.RemoveAsync(MarketDataKeys.Snapshot(symbol), cancellationToken); // do not leave the widened chain to the product
        return new AnalysisBenchmark(symbol, snapshot.Contracts.Count, snapshot.Prints.Count, command.Cycles,
            stages.Select(s => Percentiles(s.Key, s.Value)).ToList());
    }

    /// <summary>
    /// Repeats the chain at later expiries (+70 days each round, new OCC symbols) until it has <paramref name="target"/>
    /// contracts: the strike grid stays that of a listed chain, as a real 5,000-contract chain (SPX, SPY) would have.
    /// </summary>
    private static List<OptionContract> Widen(IReadOnlyList<OptionContract> contracts, int target)
    {
        var result = contracts.Take(target).ToList();
        for (var round = 1; result.Count < target; round++)
        {
            foreach (var c in contracts)
            {
                if (result.Count == target)
                {
                    break;
                }

                var expiry = c.Expiry.AddDays(70 * round);
                result.Add(c with { Expiry = expiry, OccSymbol = OccSymbol.Format(OccSymbol.Parse(c.OccSymbol).Root, expiry, c.Right, c.Strike) });
            }
        }

        return result;
    }

    private static StageLatency Percentiles(string stage, List<double> values)
    {
        values.Sort();
        double At(double q) => values.Count == 0 ? 0 : values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
        return new StageLatency(stage, At(0.50), At(0.99), values.Count == 0 ? 0 : values[^1]);
    }
}
