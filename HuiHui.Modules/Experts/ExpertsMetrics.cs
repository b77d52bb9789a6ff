using System.Diagnostics.Metrics;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Telemetry;

namespace HuiHui.Modules.Experts;

/// <summary>
/// Meter <c>HuiHui.Experts</c>: <c>huihui.analysis.duration</c> (ms, tag <c>stage</c>), <c>huihui.analysis.count</c>
/// (tags <c>symbol</c>, <c>bias</c>), <c>huihui.experts.missing</c> (tag <c>expert</c>) and the writer's counters
/// <c>huihui.responses.written</c> / <c>.spooled</c> / <c>.rejected</c>.
/// </summary>
internal sealed class ExpertsMetrics
{
    private readonly Histogram<double> duration;
    private readonly Counter<long> analyses;
    private readonly Counter<long> missing;

    public ExpertsMetrics(IMeterFactory meters, Orchestration.ResponseWriter writer)
    {
        var meter = meters.Create(PipelineTelemetry.ExpertsMeter);
        duration = meter.CreateHistogram<double>("huihui.analysis.duration", "ms", "Time per analysis stage");
        analyses = meter.CreateCounter<long>("huihui.analysis.count", description: "Analyses completed");
        missing = meter.CreateCounter<long>("huihui.experts.missing", description: "Experts that failed or ran out of time");
        meter.CreateObservableCounter("huihui.responses.written", () => writer.Written, description: "Expert responses stored in PostgreSQL");
        meter.CreateObservableCounter("huihui.responses.spooled", () => writer.Spooled, description: "Expert responses spooled while PostgreSQL was unreachable");
        meter.CreateObservableCounter("huihui.responses.rejected", () => writer.Rejected, description: "Expert responses refused as invalid");
    }

    public void Record(Analysis analysis)
    {
        var t = analysis.TimingsMs;
        duration.Record(t.Snapshot, new KeyValuePair<string, object?>("stage", "snapshot"));
        duration.Record(t.Metrics, new KeyValuePair<string, object?>("stage", "metrics"));
        duration.Record(t.Experts, new KeyValuePair<string, object?>("stage", "experts"));
        duration.Record(t.Meta, new KeyValuePair<string, object?>("stage", "meta"));
        duration.Record(t.Total, new KeyValuePair<string, object?>("stage", "total"));
        analyses.Add(1, new KeyValuePair<string, object?>("symbol", analysis.Symbol), new KeyValuePair<string, object?>("bias", analysis.Meta.Bias.ToString()));
        foreach (var expert in analysis.Meta.MissingExperts)
        {
            missing.Add(1, new KeyValuePair<string, object?>("expert", expert));
        }
    }
}
