using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using HuiHui.Modules.Ingestion.Archive;
using HuiHui.Modules.Ingestion.Data;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HuiHui.Benchmarks;

/// <summary>
/// Archive 1,000,000 option rows into <c>market_data.options_chain</c> (empty before each run): HuiHui's path (binary COPY
/// into a staging table, then INSERT … ON CONFLICT, one transaction) against <c>psql \copy</c> of the same rows from a
/// CSV file straight into the table. Target (issue 3): ≥ 0.7× psql's throughput.
/// Needs PostgreSQL: <c>./huihui.sh db start</c>, then run with <c>ConnectionStrings__Postgres</c> set (it uses a
/// database <c>huihui_bench</c> on that server, created and migrated here).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ArchiveBenchmarks
{
    private const int Rows = 1_000_000;
    private readonly List<OptionRow> rows = new(Rows);
    private NpgsqlDataSource dataSource = null!;
    private NpgsqlConnectionStringBuilder connection = null!;
    private string csv = "";

    [GlobalSetup]
    public void Setup()
    {
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
            ?? throw new InvalidOperationException("set ConnectionStrings__Postgres (./huihui.sh db start prints it)");
        connection = new NpgsqlConnectionStringBuilder(server) { Database = "huihui_bench" };
        using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            admin.Open();
            using var drop = new NpgsqlCommand("DROP DATABASE IF EXISTS huihui_bench WITH (FORCE); CREATE DATABASE huihui_bench", admin);
            drop.ExecuteNonQuery();
        }

        dataSource = NpgsqlDataSource.Create(connection.ConnectionString);
        var options = new DbContextOptionsBuilder<IngestionDbContext>();
        PersistenceRegistration.ConfigureNpgsql(options, dataSource, IngestionDbContext.Schema);
        using (var context = new IngestionDbContext(options.Options))
        {
            context.Database.Migrate();
        }

        var market = new SimulatedMarket(Microsoft.Extensions.Options.Options.Create(new SimulatorOptions { HistoryDays = 5 }), TimeProvider.System);
        for (var minute = market.CurrentMinute; rows.Count < Rows; minute += 5)
        {
            foreach (var symbol in new[] { "SPY", "QQQ", "IWM" })
            {
                var snapshot = market.Snapshot(symbol, minute);
                foreach (var contract in snapshot.Contracts)
                {
                    if (rows.Count < Rows)
                    {
                        rows.Add(new OptionRow(contract, snapshot.AsOf, snapshot.Spot, snapshot.Source));
                    }
                }
            }
        }

        csv = Path.Combine(Path.GetTempPath(), "huihui-bench-options.csv");
        using var writer = new StreamWriter(csv);
        foreach (var row in rows)
        {
            var c = row.Contract;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.OccSymbol},{row.AsOf:O},{c.Underlying},{c.Expiry:yyyy-MM-dd},{c.Strike},{(c.Right == OptionRight.Call ? "C" : "P")},{c.Bid},{c.Ask},{c.Last},{c.Volume},{c.OpenInterest},{c.ImpliedVol},,,,,{row.UnderlyingPrice},{row.Source}"));
        }

        Console.WriteLine($"// {rows.Count:N0} rows; CSV {new FileInfo(csv).Length / 1024 / 1024} MB");
    }

    [IterationSetup]
    public void Empty()
    {
        foreach (var sql in new[] { "TRUNCATE market_data.options_chain", "CHECKPOINT" })
        {
            using var command = dataSource.CreateCommand(sql);
            command.ExecuteNonQuery();
        }
    }

    [Benchmark(Baseline = true, Description = "psql \\copy from CSV (1M rows)")]
    public void PsqlCopy()
    {
        var columns = "occ_symbol, as_of, underlying, expiry, strike, \"right\", bid, ask, last, volume, open_interest, implied_vol, delta, gamma, theta, vega, underlying_price, source";
        var start = new ProcessStartInfo("psql")
        {
            ArgumentList =
            {
                "-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture), "-U", connection.Username!, "-d", connection.Database!,
                "-v", "ON_ERROR_STOP=1", "-c", $"\\copy market_data.options_chain ({columns}) FROM '{csv}' WITH (FORMAT csv)",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql failed: {error}");
        }
    }

    [Benchmark(Description = "HuiHui archive: binary COPY to staging + upsert (1M rows)")]
    public int HuiHuiArchive()
    {
        using var db = dataSource.OpenConnection();
        using var transaction = db.BeginTransaction();
        var inserted = MarketDataArchive.WriteOptionsAsync(db, rows, CancellationToken.None).GetAwaiter().GetResult();
        transaction.Commit();
        return inserted == Rows ? inserted : throw new InvalidOperationException($"stored {inserted} of {Rows} rows");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        dataSource.Dispose();
        File.Delete(csv);
    }
}
