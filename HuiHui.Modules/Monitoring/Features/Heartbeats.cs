using System.Collections.Concurrent;
using HuiHui.Modules.Monitoring.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Monitoring.Features;

/// <summary>The last beat of each component, in memory.</summary>
internal sealed class HeartbeatRegistry
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, string Status, string? Detail)> last = new(StringComparer.Ordinal);

    public void Beat(string component, DateTimeOffset at, string status, string? detail) => last[component] = (at, status, detail);

    public IReadOnlyDictionary<string, (DateTimeOffset At, string Status, string? Detail)> Snapshot() => new Dictionary<string, (DateTimeOffset, string, string?)>(last);
}

/// <summary>Once a minute, one <c>uptime_logs</c> row for every component that beat during that minute.</summary>
internal sealed partial class UptimeWriter(HeartbeatRegistry registry, IServiceScopeFactory scopes, TimeProvider time, ILogger<UptimeWriter> logger) : BackgroundService
{
    private DateTimeOffset lastWritten = DateTimeOffset.MinValue;

    public async Task WriteOnceAsync(CancellationToken cancellationToken)
    {
        var since = lastWritten;
        var beats = registry.Snapshot().Where(b => b.Value.At > since).ToList();
        if (beats.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MonitoringDbContext>();
        db.UptimeLogs.AddRange(beats.Select(b => new UptimeLogRecord { Component = b.Key, HeartbeatAt = b.Value.At, Status = b.Value.Status, Detail = b.Value.Detail }));
        await db.SaveChangesAsync(cancellationToken);
        lastWritten = beats.Max(b => b.Value.At);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                await WriteOnceAsync(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogFailed(logger, error.GetBaseException().Message);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write heartbeats: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
