using System.Globalization;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Modules.Monitoring.Compliance;

/// <summary>What the tracker measured for one evaluation (deltas over the window where the rule needs a rate).</summary>
/// <param name="Now">Evaluation time.</param>
/// <param name="Since">Start of the grace period (process start): gap rules wait until it is well past.</param>
/// <param name="Produced">Expert responses produced in the window (written + rejected + spooled delta).</param>
/// <param name="Persisted">Of those, written or safely spooled.</param>
/// <param name="SpoolBytes">The background writers' spools now (bytes, all writers).</param>
/// <param name="SpoolBytesBefore">At the previous evaluation.</param>
/// <param name="StageP99Ms">p99 latency per stage in the window.</param>
/// <param name="LastFetched">Each watch-list symbol's last successful fetch.</param>
/// <param name="IngestionInterval">The fetch loop's interval.</param>
/// <param name="IngestionRunning">The fetch loop is enabled in this process.</param>
/// <param name="CacheHits">Cache hits in the window.</param>
/// <param name="CacheLookups">Cache lookups in the window.</param>
/// <param name="Heartbeats">Each component's last beat.</param>
internal sealed record ComplianceInputs(
    DateTimeOffset Now,
    DateTimeOffset Since,
    long Produced,
    long Persisted,
    long SpoolBytes,
    long SpoolBytesBefore,
    IReadOnlyDictionary<string, double> StageP99Ms,
    IReadOnlyDictionary<string, DateTimeOffset?> LastFetched,
    TimeSpan IngestionInterval,
    bool IngestionRunning,
    long CacheHits,
    long CacheLookups,
    IReadOnlyDictionary<string, DateTimeOffset> Heartbeats);

/// <summary>One rule's verdict; <see cref="Code"/> is the alert code (source <c>compliance</c>).</summary>
internal sealed record RuleResult(string Code, bool Firing, AlertSeverity Severity, string Message);

/// <summary>The compliance rules, as a pure function of what was measured (formulas in docs/operations.md).</summary>
internal static class ComplianceRules
{
    public static List<RuleResult> Evaluate(ComplianceInputs inputs, ComplianceOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        var results = new List<RuleResult>();

        var rate = inputs.Produced > 0 ? (double)inputs.Persisted / inputs.Produced : 1;
        results.Add(new RuleResult("persistence-rate", rate < options.MinPersistenceRate, AlertSeverity.Critical,
            string.Create(c, $"{rate:P2} of {inputs.Produced} expert responses persisted in the last {options.Window.TotalMinutes:0} min (minimum {options.MinPersistenceRate:P1})")));

        results.Add(new RuleResult("spool-growing", inputs.SpoolBytes > inputs.SpoolBytesBefore && inputs.SpoolBytes > 0, AlertSeverity.Warning,
            string.Create(c, $"the background writers' spools grew from {inputs.SpoolBytesBefore:N0} to {inputs.SpoolBytes:N0} bytes: PostgreSQL is not taking writes")));

        var budgets = options.StageBudgetsMs.Count > 0 ? options.StageBudgetsMs : ComplianceOptions.DefaultBudgetsMs;
        foreach (var (stage, budget) in budgets)
        {
            var p99 = inputs.StageP99Ms.TryGetValue(stage, out var value) ? value : 0;
            results.Add(new RuleResult($"latency-budget:{stage}", p99 > budget, AlertSeverity.Warning,
                string.Create(c, $"{stage} p99 {p99:0.0} ms over the last {options.Window.TotalMinutes:0} min, budget {budget:0} ms")));
        }

        var settled = inputs.Now - inputs.Since > inputs.IngestionInterval * options.ProviderGapIntervals;
        foreach (var (symbol, last) in inputs.LastFetched)
        {
            var gap = inputs.IngestionRunning && settled && (last is null || inputs.Now - last.Value > inputs.IngestionInterval * options.ProviderGapIntervals);
            results.Add(new RuleResult($"provider-gap:{symbol}", gap, AlertSeverity.Warning,
                last is null ? $"{symbol} has not been fetched since start" : string.Create(c, $"{symbol} last fetched {(inputs.Now - last.Value).TotalSeconds:0} s ago (interval {inputs.IngestionInterval.TotalSeconds:0} s)")));
        }

        var hitRatio = inputs.CacheLookups > 0 ? (double)inputs.CacheHits / inputs.CacheLookups : 1;
        results.Add(new RuleResult("cache-thrash", inputs.CacheLookups >= options.MinCacheLookups && hitRatio < options.MinCacheHitRatio, AlertSeverity.Warning,
            string.Create(c, $"cache hit ratio {hitRatio:P0} over {inputs.CacheLookups} lookups in the last {options.Window.TotalMinutes:0} min (minimum {options.MinCacheHitRatio:P0})")));

        var expected = options.ExpectedComponents.Count > 0 ? options.ExpectedComponents : [Components.IngestionLoop, Components.Orchestrator, Components.ResponseWriter];
        var heartbeatsSettled = inputs.Now - inputs.Since > options.HeartbeatTimeout;
        foreach (var component in expected)
        {
            var seen = inputs.Heartbeats.TryGetValue(component, out var at);
            var missing = heartbeatsSettled && (!seen || inputs.Now - at > options.HeartbeatTimeout);
            results.Add(new RuleResult($"heartbeat-missing:{component}", missing, AlertSeverity.Critical,
                seen ? string.Create(c, $"{component} last beat {(inputs.Now - at).TotalSeconds:0} s ago") : $"{component} has not beaten since start"));
        }

        return results;
    }
}
