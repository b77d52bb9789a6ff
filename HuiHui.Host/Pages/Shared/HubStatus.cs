using Hangfire;
using Hangfire.Storage;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;

namespace HuiHui.Host.Pages.Shared;

/// <summary>A recurring job's last and next run, from Hangfire's storage.</summary>
internal sealed record JobRun(string Id, string Cron, DateTime? LastExecution, string? LastState, DateTime? NextExecution, string? Error);

/// <summary>
/// Everything the health panel and the strip on every page show. A part whose source failed is null and
/// <see cref="Problems"/> says why: the panel degrades piece by piece, it never fails as a whole.
/// </summary>
internal sealed record HubHealth(
    DateTimeOffset At,
    DatabaseStatus Database,
    CacheStats Cache,
    PersistenceStatus Persistence,
    IngestionStatus Ingestion,
    IReadOnlyList<StageHour>? Stages,
    IReadOnlyList<AlertInfo>? Alerts,
    IReadOnlyList<ComponentUptime>? Uptime,
    IReadOnlyList<JobRun>? Jobs,
    IReadOnlyList<string> Problems)
{
    public int OpenAlerts => Alerts?.Count(a => a.ResolvedAt is null) ?? 0;

    public int HealthyProviders => Ingestion.Providers.Count(p => p.Healthy);

    /// <summary>Share of produced responses that reached PostgreSQL (1 when none yet).</summary>
    public double PersistenceRate => Persistence.Enqueued == 0 ? 1 : Math.Min(1, (double)Persistence.Written / Persistence.Enqueued);

    /// <summary>The p95 of the <c>total</c> stage over the newest hour with data.</summary>
    public double? TotalP95 => Stages?.Where(s => s.Stage == "total").OrderByDescending(s => s.Hour).Select(s => (double?)s.P95).FirstOrDefault();
}

/// <summary>
/// Reads <see cref="HubHealth"/>; the strip on every page reuses a reading up to five seconds old. One reading at a time:
/// a fresh request that waited while another reading ran takes the next one that starts after it arrived, so twenty users
/// on the Health page cost one reading per round, not twenty in a row.
/// </summary>
internal sealed class HubStatus(IServiceScopeFactory scopes, IServiceProvider services, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan StripAge = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim gate = new(1, 1);
    private HubHealth? last;
    private long started;
    private long lastReading;

    public async Task<HubHealth> GetAsync(bool fresh, CancellationToken cancellationToken)
    {
        if (!fresh && last is { } cached && time.GetUtcNow() - cached.At < StripAge)
        {
            return cached;
        }

        var arrived = Interlocked.Read(ref started);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (last is { } again && (fresh ? lastReading > arrived : time.GetUtcNow() - again.At < StripAge))
            {
                return again;
            }

            var reading = Interlocked.Increment(ref started);
            last = await ReadAsync(cancellationToken);
            lastReading = reading;
            return last;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private async Task<HubHealth> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var now = time.GetUtcNow();
        var problems = new List<string>();

        // In-process state first: it is always there.
        var database = await mediator.Send(new GetDatabaseStatus(), cancellationToken);
        var cache = await mediator.Send(new GetCacheStats(), cancellationToken);
        var persistence = await mediator.Send(new GetPersistenceStatus(), cancellationToken);
        var ingestion = await mediator.Send(new GetIngestionStatus(), cancellationToken);

        IReadOnlyList<StageHour>? stages = null;
        IReadOnlyList<AlertInfo>? alerts = null;
        IReadOnlyList<ComponentUptime>? uptime = null;
        if (database.Reachable)
        {
            stages = await TryAsync("latency", async () => (await mediator.Send(new GetHourlyRollups(now.AddHours(-24), now.AddMinutes(1)), cancellationToken)).Stages, problems);
            alerts = await TryAsync("alerts", async () => await mediator.Send(new GetRecentAlerts(20), cancellationToken), problems);
            uptime = await TryAsync("uptime", async () => await mediator.Send(new GetUptime(TimeSpan.FromHours(24)), cancellationToken), problems);
        }
        else
        {
            problems.Add($"PostgreSQL is unreachable ({database.Problem}): latency, alerts, uptime and jobs are unavailable");
        }

        var jobs = database.Reachable ? await TryAsync("jobs", () => Task.FromResult<IReadOnlyList<JobRun>>(ReadJobs()), problems) : null;
        return new HubHealth(now, database, cache, persistence, ingestion, stages, alerts, uptime, jobs, problems);
    }

    private List<JobRun> ReadJobs()
    {
        using var connection = services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs()
            .Select(j => new JobRun(j.Id, j.Cron, j.LastExecution, j.LastJobState, j.NextExecution, j.Error))
            .OrderBy(j => j.Id, StringComparer.Ordinal)
            .ToList();
    }

    private static async Task<T?> TryAsync<T>(string what, Func<Task<T>> read, List<string> problems)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            problems.Add($"{what}: {exception.GetBaseException().Message}");
            return null;
        }
    }
}
