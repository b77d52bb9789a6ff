using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HuiHui.Host.Hosting;

/// <summary>
/// OpenTelemetry for the hub: HuiHui's meters (<c>HuiHui.*</c>) and pipeline spans (<c>HuiHui.Pipeline</c>), plus
/// ASP.NET Core, HttpClient and runtime instrumentation. Exporters only when configured:
/// <c>HuiHui:Telemetry:Console=true</c> and/or <c>HuiHui:Telemetry:OtlpEndpoint=http://collector:4317</c>.
/// </summary>
internal static class Telemetry
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var console = configuration.GetValue("HuiHui:Telemetry:Console", false);
        var otlp = configuration["HuiHui:Telemetry:OtlpEndpoint"];
        if (!console && string.IsNullOrWhiteSpace(otlp))
        {
            return; // meters and spans still exist (dotnet-counters, tests); nothing is exported
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("huihui"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter("HuiHui.Cache", "HuiHui.Ingestion", "HuiHui.Experts").AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
                if (console)
                {
                    metrics.AddConsoleExporter();
                }

                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource("HuiHui.Pipeline").AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (console)
                {
                    tracing.AddConsoleExporter();
                }

                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            });
    }
}
