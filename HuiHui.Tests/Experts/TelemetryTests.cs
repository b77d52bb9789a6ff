using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Experts;

/// <summary>The pipeline's spans and meters, seen the way an OpenTelemetry SDK sees them (listeners).</summary>
public sealed class TelemetryTests : DatabaseTest
{
    [Test]
    public async Task Analysis_EmitsNestedSpansAndStageDurations()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "HuiHui.Pipeline",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(activities);
        var stages = new ConcurrentQueue<string>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name is "HuiHui.Experts" or "HuiHui.Ingestion")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (instrument.Name == "huihui.analysis.duration" && tag.Key == "stage")
                {
                    stages.Enqueue((string)tag.Value!);
                }
            }
        });
        meters.SetMeasurementEventCallback<long>((instrument, _, _, _) => stages.Enqueue(instrument.Name));
        meters.Start();
        await using var services = ModuleServices.BuildOnSystemClock(new Dictionary<string, string?>
        {
            ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Ingestion:SpoolPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Experts:SpoolPath"] = CacheHarness.NewFolder(),
        });

        await using (var scope = services.Provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new AnalyzeSymbol("QQQ"));
        }

        var analyze = spans.First(s => s.OperationName == "analyze");
        Assert.That(analyze.GetTagItem("huihui.symbol"), Is.EqualTo("QQQ"));
        Assert.That(spans.Where(s => s.ParentSpanId == analyze.SpanId).Select(s => s.OperationName), Is.SupersetOf(new[] { "metrics", "experts", "meta" }));
        Assert.That(spans.Select(s => s.OperationName), Contains.Item("ingest"));
        Assert.That(stages, Is.SupersetOf(new[] { "snapshot", "metrics", "experts", "meta", "total", "huihui.analysis.count", "huihui.ingestion.snapshots" }));
    }
}
