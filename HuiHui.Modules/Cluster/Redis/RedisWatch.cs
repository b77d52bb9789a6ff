using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace HuiHui.Modules.Cluster.Redis;

/// <summary>
/// Raises the alert <c>cluster/redis-down</c> when this node has been cut from Redis for two checks in a row (pushes to
/// browsers on other nodes and cache entries stop meanwhile; analysis and persistence go on), resolves it when back.
/// </summary>
internal sealed class RedisWatch(RedisConnection redis, ClusterAlerts alerts, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await redis.GetAsync();
        var downFor = 0;
        var alerted = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Every, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            downFor = redis.IsConnected ? 0 : downFor + 1;
            if (downFor >= 2 && !alerted)
            {
                alerted = await alerts.RaiseAsync("redis-down", AlertSeverity.Critical,
                    "Redis cannot be reached: browsers on other nodes miss this node's pushes and the nodes' caches no longer follow each other; analysis and persistence go on.", stoppingToken);
            }
            else if (downFor == 0 && alerted)
            {
                alerted = !await alerts.ResolveAsync("redis-down", stoppingToken);
            }
        }
    }
}

/// <summary>Health: Redis reachable (degraded, not unhealthy, when not: a node works on without it).</summary>
internal sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await redis.GetAsync();
        return redis.IsConnected ? HealthCheckResult.Healthy("connected") : HealthCheckResult.Degraded("Redis cannot be reached; reconnecting");
    }
}
