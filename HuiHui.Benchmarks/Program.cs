using BenchmarkDotNet.Running;

namespace HuiHui.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project HuiHui.Benchmarks -- --filter '*'</c> (results: docs/performance.md);
/// <c>-- recall</c> prints the embedding models' recall on the labelled sets (docs/metrics.md); <c>-- allocations TRACE</c>
/// reads a running hub's gc-verbose trace (<see cref="AllocationReport"/>).
/// </summary>
internal static class BenchmarkEntry
{
    public static void Main(string[] args)
    {
        if (args is ["recall"])
        {
            EmbeddingRecall.Run(); // not a timing benchmark: recall of the embedding models on the labelled sets
            return;
        }

        if (args is ["allocations", var trace])
        {
            AllocationReport.Run(trace); // not a benchmark: where a running hub allocates, from a gc-verbose trace
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
    }
}
