using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HuiHui.Benchmarks;

/// <summary>
/// Backtest throughput (issue 18: ≥ 1,000 snapshots per second of ~1,000-contract chains on this 2-core machine): one
/// simulated session (390 one-minute snapshots per symbol, each chain ~1,150 contracts) through <see cref="RunBacktest"/>,
/// the simulator's own cost included. Snapshots per second = 390 × symbols ÷ the mean. A real PostgreSQL
/// (database <c>huihui_bench_backtest</c>) only for the migrations and the daily-bar reads the pipeline makes.
/// </summary>
/// <remarks>
/// Two jobs: the runtime's defaults (tiered compilation, whose warm-up runs through the first iterations), and the way
/// <c>./huihui.sh backtest</c> runs it, with <c>DOTNET_TieredCompilation=0</c> (docs/performance.md says why).
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Jobs))]
public class BacktestBenchmarks
{
    private sealed class Jobs : ManualConfig
    {
        public Jobs()
        {
            var job = Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(6).WithInvocationCount(1).WithUnrollFactor(1);
            AddJob(job.WithId("tiered"));
            AddJob(job.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_TieredCompilation", "0")).WithId("huihui.sh"));
        }
    }

    private ServiceProvider services = null!;
    private DateTimeOffset from;

    [Params(1, 2)]
    public int Symbols { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? throw new InvalidOperationException("set ConnectionStrings__Postgres");
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("DROP DATABASE IF EXISTS huihui_bench_backtest WITH (FORCE); CREATE DATABASE huihui_bench_backtest", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connection = new NpgsqlConnectionStringBuilder(server) { Database = "huihui_bench_backtest" }.ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connection,
            ["HuiHui:Cache:DiskPath"] = Path.Combine(Path.GetTempPath(), "huihui-bench-backtest-cache"),
        }).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        collection.AddSingleton(TimeProvider.System);
        Program.AddHuiHuiModules(collection, configuration);
        services = collection.BuildServiceProvider();
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new MigrateDatabases());
        }

        var day = TradingCalendar.AddWeekdays(services.GetRequiredService<SimulatedMarket>().StartDate, -1);
        from = new DateTimeOffset(day.ToDateTime(TradingCalendar.Open), TimeSpan.Zero);
    }

    [GlobalCleanup]
    public async Task Cleanup() => await services.DisposeAsync();

    [Benchmark(Description = "backtest, one simulated session a symbol (390 snapshots)")]
    public async Task<BacktestReport> Backtest()
    {
        await using var scope = services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(
            new RunBacktest(Symbols == 1 ? ["SPY"] : ["SPY", "QQQ"], ReplaySnapshots.Simulated, from, from.AddMinutes(TradingCalendar.MinutesPerDay)));
        Console.WriteLine($"// {report.Snapshots} snapshots, {report.SnapshotsPerSecond:0} per second, {report.Summary.Trades} ideas");
        return report;
    }
}
