using BenchmarkDotNet.Running;

// dotnet run -c Release --project HuiHui.Benchmarks -- --filter '*'   (results: docs/performance.md)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
