using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace HuiHui.Benchmarks;

/// <summary>
/// Learning targets (issue 8), through the real commands on a real PostgreSQL (database <c>huihui_bench_learning</c>):
/// label generation for 1,000,000 feature vectors ≤ 60 s, and retraining the meta gating model on 1,000,000 labelled
/// examples ≤ 60 s (read, time-ordered fit and validation with baselines, refit on all, store the checkpoint).
/// Data: 10 symbols × 100,000 minutes; the first feature is an AR(1) signal that leads the next minutes' returns.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class LearningBenchmarks
{
    private const int Symbols = 10;
    private const int Minutes = 100_000;
    private static readonly TimeSpan Horizon = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 14, 30, 0, TimeSpan.Zero);

    private ServiceProvider services = null!;
    private NpgsqlDataSource dataSource = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? throw new InvalidOperationException("set ConnectionStrings__Postgres");
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("DROP DATABASE IF EXISTS huihui_bench_learning WITH (FORCE); CREATE DATABASE huihui_bench_learning", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connection = new NpgsqlConnectionStringBuilder(server) { Database = "huihui_bench_learning", CommandTimeout = 300 }.ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connection }).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        collection.AddSingleton(TimeProvider.System);
        Program.AddHuiHuiModules(collection, configuration);
        services = collection.BuildServiceProvider();
        dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await SendAsync(new MigrateDatabases());
        await FillAsync();
    }

    [GlobalCleanup]
    public async Task Cleanup() => await services.DisposeAsync();

    [IterationSetup(Target = nameof(GenerateLabels))]
    public void ForgetLabels() => Execute("TRUNCATE training.labeled_examples");

    [IterationSetup(Target = nameof(RetrainMeta))]
    public void EnsureLabels()
    {
        Execute("DELETE FROM training.model_checkpoints");
        if (Scalar("SELECT count(*) FROM training.labeled_examples") < Symbols * (Minutes - 20))
        {
            Execute("TRUNCATE training.labeled_examples");
            SendAsync(new GenerateLabels(Horizon)).GetAwaiter().GetResult();
        }
    }

    [Benchmark(Description = "label 1,000,000 feature vectors")]
    public async Task<LabelReport> GenerateLabels()
    {
        var report = await SendAsync(new GenerateLabels(Horizon));
        return report.Labelled >= Symbols * (Minutes - 20) ? report : throw new InvalidOperationException($"only {report.Labelled} labelled");
    }

    [Benchmark(Description = "retrain meta on ~1,000,000 labelled examples")]
    public async Task<TrainingReport> RetrainMeta()
    {
        var report = await SendAsync(new TrainMetaModel(Horizon));
        Console.WriteLine($"// meta: {report.Metrics.Validation}: accuracy {report.Metrics.Accuracy:F4}, log-loss {report.Metrics.LogLoss:F4}; constant log-loss {report.Baselines["constant"].LogLoss:F4}");
        return report;
    }

    private async Task<T> SendAsync<T>(ICommand<T> command)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command);
    }

    private void Execute(string sql)
    {
        using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 300;
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var command = dataSource.CreateCommand(sql);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Minute bars (one more horizon at the end so every vector can be labelled) and one feature vector per minute.</summary>
    private async Task FillAsync()
    {
        var random = new Random(42);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var bars = await connection.BeginBinaryImportAsync("COPY market_data.underlying_ohlc (symbol, interval, ts, open, high, low, close, volume, source, ingested_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var s = 0; s < Symbols; s++)
            {
                var (price, signal) = (100.0, 0.0);
                for (var m = 0; m < Minutes + 20; m++)
                {
                    var open = price;
                    price *= Math.Exp((0.0003 * signal) + (0.001 * Normal(random)));
                    signal = (0.98 * signal) + (Math.Sqrt(1 - (0.98 * 0.98)) * Normal(random));
                    await bars.StartRowAsync();
                    await bars.WriteAsync($"SYM{s}", NpgsqlDbType.Text);
                    await bars.WriteAsync("1m", NpgsqlDbType.Text);
                    await bars.WriteAsync(Start.AddMinutes(m).UtcDateTime, NpgsqlDbType.TimestampTz);
                    await bars.WriteAsync(open, NpgsqlDbType.Double);
                    await bars.WriteAsync(Math.Max(open, price), NpgsqlDbType.Double);
                    await bars.WriteAsync(Math.Min(open, price), NpgsqlDbType.Double);
                    await bars.WriteAsync(price, NpgsqlDbType.Double);
                    await bars.WriteAsync(1000L, NpgsqlDbType.Bigint);
                    await bars.WriteAsync("bench", NpgsqlDbType.Text);
                    await bars.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
                    if (m < Minutes)
                    {
                        pending.Add((s, m, (float)signal));
                    }
                }
            }

            await bars.CompleteAsync();
        }

        await using (var vectors = await connection.BeginBinaryImportAsync("COPY training.feature_vectors (symbol, as_of, schema_version, \"values\", created_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (s, m, signal) in pending)
            {
                var values = new float[26];
                values[0] = signal + (0.5f * (float)Normal(random));
                values[1] = 0.5f;
                for (var i = 2; i < values.Length; i++)
                {
                    values[i] = (float)Normal(random);
                }

                await vectors.StartRowAsync();
                await vectors.WriteAsync($"SYM{s}", NpgsqlDbType.Text);
                await vectors.WriteAsync(Start.AddMinutes(m).UtcDateTime, NpgsqlDbType.TimestampTz);
                await vectors.WriteAsync(1, NpgsqlDbType.Integer);
                await vectors.WriteAsync(values, NpgsqlDbType.Array | NpgsqlDbType.Real);
                await vectors.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
            }

            await vectors.CompleteAsync();
        }

        pending.Clear();
        Execute("ANALYZE");
    }

    private readonly List<(int Symbol, int Minute, float Signal)> pending = new(Symbols * Minutes);

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
