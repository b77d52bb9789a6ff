using BenchmarkDotNet.Running;

// dotnet run -c Release --project HuiHui.Benchmarks -- --filter '*'   (results: docs/performance.md)
BenchmarkSwitcher.FromAssembly(typeof(HuiHui.Benchmarks.HubRenderBenchmarks).Assembly).Run(args);
