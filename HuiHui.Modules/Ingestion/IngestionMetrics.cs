using System.Diagnostics.Metrics;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Telemetry;

namespace HuiHui.Modules.Ingestion;

/// <summary>
/// Meter <c>HuiHui.Ingestion</c>: <c>huihui.ingestion.snapshots</c> (tags <c>symbol</c>, <c>source</c>),
/// <c>huihui.ingestion.dropped</c> (tag <c>reason</c>), <c>huihui.ingestion.provider_failures</c> (tag <c>provider</c>).
/// </summary>
internal sealed class IngestionMetrics
{
    private readonly Counter<long> snapshots;
    private readonly Counter<long> dropped;
    private readonly Counter<long> failures;

    public IngestionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(PipelineTelemetry.IngestionMeter);
        snapshots = meter.CreateCounter<long>("huihui.ingestion.snapshots", description: "Validated snapshots cached");
        dropped = meter.CreateCounter<long>("huihui.ingestion.dropped", description: "Records dropped by validation");
        failures = meter.CreateCounter<long>("huihui.ingestion.provider_failures", description: "Provider calls that failed");
    }

    public void Ingested(ChainSnapshot snapshot)
    {
        snapshots.Add(1, new KeyValuePair<string, object?>("symbol", snapshot.Symbol), new KeyValuePair<string, object?>("source", snapshot.Source));
        foreach (var drop in snapshot.Dropped)
        {
            dropped.Add(drop.Count, new KeyValuePair<string, object?>("reason", drop.Reason));
        }
    }

    /// <summary>A whole snapshot not used (a duplicate or an out-of-order one), counted with the drops under its reason.</summary>
    public void Refused(string reason) => dropped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ProviderFailed(string provider) => failures.Add(1, new KeyValuePair<string, object?>("provider", provider));
}
