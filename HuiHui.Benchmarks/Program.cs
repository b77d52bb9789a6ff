using BenchmarkDotNet.Running;

namespace HuiHui.Benchmarks;

/// <summary><c>dotnet run -c Release --project HuiHui.Benchmarks -- --filter '*'</c> (results: docs/performance.md).</summary>
internal static class BenchmarkEntry
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
}
