using System.Diagnostics;

namespace HuiHui.Modules.Shared.Telemetry;

/// <summary>
/// The pipeline's trace source and meter names. Spans: <c>ingest</c> (per symbol fetch), <c>analyze</c> with children
/// <c>metrics</c>, <c>experts</c>, <c>meta</c>; <c>persist</c> per written batch. Meters: <c>HuiHui.Cache</c>,
/// <c>HuiHui.Ingestion</c>, <c>HuiHui.Experts</c> (exported when the host turns OpenTelemetry on).
/// </summary>
internal static class PipelineTelemetry
{
    public const string SourceName = "HuiHui.Pipeline";
    public const string IngestionMeter = "HuiHui.Ingestion";
    public const string ExpertsMeter = "HuiHui.Experts";

    public static readonly ActivitySource Source = new(SourceName);
}
