using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Pipeline;

/// <summary>
/// Readiness of the fetch loop: degraded when it has not completed a cycle within three intervals (after the same
/// grace from start), or when every watch-list symbol's last fetch failed.
/// </summary>
internal sealed class IngestionHealthCheck(IngestionLoop loop, IngestionState state, IOptions<IngestionOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled || loop.StartedAt is not { } started)
        {
            return Task.FromResult(HealthCheckResult.Healthy("fetch loop not running in this process"));
        }

        var now = time.GetUtcNow();
        var late = state.Interval * 3;
        var last = loop.LastCycleAt ?? started;
        if (now - last > late)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"no fetch cycle for {(now - last).TotalSeconds:0} s (interval {state.Interval.TotalSeconds:0} s)"));
        }

        var symbols = state.Snapshot().Symbols.Where(s => state.WatchList.Contains(s.Symbol)).ToList();
        if (symbols.Count > 0 && symbols.All(s => s.LastError is not null && (s.LastFetched is null || s.LastFetched < loop.LastCycleAt)))
        {
            return Task.FromResult(HealthCheckResult.Degraded("every provider is failing: " + symbols[0].LastError));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"{loop.Cycles} cycle(s), every {state.Interval.TotalSeconds:0} s"));
    }
}
