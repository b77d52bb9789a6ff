using BenchmarkDotNet.Attributes;
using HuiHui.Modules.Cache;
using HuiHui.Modules.Cache.Contracts;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HuiHui.Benchmarks;

/// <summary>
/// The Enhanced Cache Manager's hot paths, beside a plain MemoryCache hit in the same run.
/// Target (issue 4): memory hit ≤ 2× a plain MemoryCache get, no allocation on the hit path.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class CacheBenchmarks
{
    private readonly CacheKey<Snapshot> hot = new(CacheTier.Enriched, "metrics:SPY", CacheTags.Symbol("SPY"));
    private readonly CacheKey<Snapshot> cold = new(CacheTier.Raw, "snapshot:SPY", CacheTags.Symbol("SPY"));
    private readonly Snapshot value = new("SPY", 512.25, [.. Enumerable.Range(0, 50).Select(i => 500.0 + i)]);
    private readonly Func<CancellationToken, ValueTask<Snapshot>> factory;
    private MemoryCache plain = null!;
    private EnhancedCache cache = null!;
    private ServiceProvider services = null!;
    private string folder = null!;
    private int setCounter;

    public CacheBenchmarks() => factory = _ => ValueTask.FromResult(value);

    [GlobalSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), "huihui-bench-cache", Guid.NewGuid().ToString("N"));
        services = new ServiceCollection().AddLogging().AddMetrics().BuildServiceProvider();
        cache = new EnhancedCache(
            Options.Create(new CacheOptions { DiskPath = folder }),
            TimeProvider.System,
            new CacheAlerts(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<CacheAlerts>.Instance),
            services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            NullLogger<EnhancedCache>.Instance);
        cache.SetAsync(hot, value).AsTask().GetAwaiter().GetResult();
        cache.SetAsync(cold, value).AsTask().GetAwaiter().GetResult();
        plain = new MemoryCache(new MemoryCacheOptions());
        plain.Set(hot.Text, value);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        cache.Dispose();
        plain.Dispose();
        services.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "plain MemoryCache hit")]
    public Snapshot? PlainMemoryCacheHit() => plain.TryGetValue(hot.Text, out Snapshot? found) ? found : null;

    [Benchmark(Description = "ECM memory hit (TryGet)")]
    public Snapshot? MemoryHitTryGet() => Sync(cache.TryGetAsync(hot))?.Value;

    [Benchmark(Description = "ECM memory hit (GetOrCreate)")]
    public Snapshot MemoryHitGetOrCreate() => Sync(cache.GetOrCreateAsync(hot, factory)).Value;

    [Benchmark(Description = "ECM memory miss -> disk hit")]
    public Snapshot? MemoryMissDiskHit()
    {
        cache.Memory.Remove(cold.Text);
        return Sync(cache.TryGetAsync(cold))?.Value;
    }

    [Benchmark(Description = "ECM set (memory + disk)")]
    public void Set() => cache.SetAsync(new CacheKey<Snapshot>(CacheTier.Raw, $"set:{setCounter++ % 1000}"), value).AsTask().GetAwaiter().GetResult();

    // The cache completes these synchronously; anything else would be a finding, so it blocks rather than hides it.
    private static T Sync<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    public sealed record Snapshot(string Symbol, double Spot, double[] Strikes);
}
