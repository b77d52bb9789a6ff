using System.Collections.Concurrent;
using Hangfire;
using Hangfire.PostgreSql;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Cluster;

/// <summary>
/// Jobs once: every node runs a Hangfire server on the shared PostgreSQL; a recurring job still runs once per schedule
/// across them (Hangfire's distributed locks). Two servers in a database of their own, a job every two seconds.
/// </summary>
public sealed class JobsOnceTests : DatabaseTest
{
    private static readonly ConcurrentQueue<(DateTime At, string Server, long Scheduled)> Runs = new();

    [Test]
    public async Task TwoServersOnOneDatabase_RunARecurringJobOncePerSchedule()
    {
        var connectionString = await TestDatabase.CreateAsync("huihui_jobs");
        try
        {
            var storage = new PostgreSqlStorage(
                new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, new PostgreSqlStorageOptions()),
                new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true, QueuePollInterval = TimeSpan.FromMilliseconds(200) });
            Runs.Clear();
            new RecurringJobManager(storage).AddOrUpdate("jobs-once", "jobs-once", () => Record(null), "*/2 * * * * *");

            using (var first = Server(storage, "node-1"))
            using (var second = Server(storage, "node-2"))
            {
                try
                {
                    await Poller.UntilAsync(() => Task.FromResult(Runs.Count), n => n >= 4, TimeSpan.FromSeconds(30), "four runs of the job");
                }
                catch (AssertionException)
                {
                    var states = await Sql.ScalarOnAsync<string>(connectionString, "SELECT coalesce(string_agg(statename || ': ' || coalesce(s.data::text, ''), ' | '), 'none') FROM hangfire.job j LEFT JOIN hangfire.state s ON s.id = j.stateid");
                    var recurring = await Sql.ScalarOnAsync<string>(connectionString, "SELECT coalesce(string_agg(field || '=' || value, ', '), 'none') FROM hangfire.hash WHERE key = 'recurring-job:jobs-once'");
                    Assert.Fail($"no four runs: jobs {states}; recurring {recurring}");
                }
                first.SendStop();
                second.SendStop();
            }

            // Each run carries the schedule time that triggered it (the job parameter Hangfire sets on a recurring job's run).
            var runs = Runs.OrderBy(r => r.At).ToList();
            var described = string.Join(", ", runs.Select(r => $"{r.Scheduled}: {r.At:HH:mm:ss.fff}@{r.Server}"));
            Assert.That(runs.Select(r => r.Scheduled), Is.Unique, $"one run per schedule across both servers: {described}");
            Assert.That(runs.Select(r => r.Scheduled), Has.All.GreaterThan(0L), described);
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    /// <summary>The job: notes when it ran and on which server.</summary>
    [Queue("jobs-once")]
    public static void Record(Hangfire.Server.PerformContext? context) =>
        Runs.Enqueue((DateTime.UtcNow, context?.ServerId ?? "?", context?.GetJobParameter<long>("Time") ?? 0));

    private static BackgroundJobServer Server(JobStorage storage, string name) => new(
        new BackgroundJobServerOptions
        {
            ServerName = name,
            Queues = ["jobs-once"],
            WorkerCount = 2,
            SchedulePollingInterval = TimeSpan.FromMilliseconds(200),
            // Not the global activator: the last host the suite started (and may have disposed) set that one.
            Activator = new JobActivator(),
        },
        storage);
}
