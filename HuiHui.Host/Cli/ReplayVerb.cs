using System.Globalization;
using System.Text.Json;
using HuiHui.Host.Hosting;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Host.Cli;

/// <summary>
/// <c>huihui replay SYMBOL --source file:PATH|archive [--from T] [--to T] [--json]</c>: every snapshot of the source through
/// the pipeline in time order, one analysis per snapshot (flow derived from the snapshots before it). With <c>--json</c> a JSON
/// array whose items have the shape <c>analyze --json</c> prints, written as the replay goes. Nothing is persisted.
/// Exit 1 when the source holds no snapshot of the symbol in the range, 2 on bad arguments.
/// </summary>
internal static class ReplayVerb
{
    public static async Task<int> RunAsync(CliOutput output, string symbol, string source, string? fromText, string? toText, CancellationToken cancellationToken)
    {
        if (!TimeInput.TryParse(fromText, toText, out var from, out var to, out var bad))
        {
            return output.Fail(HuiHuiCli.Usage, bad);
        }

        using var host = CliHost.Build();
        await using var scope = host.Services.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var count = 0;
        await using var stdout = Console.OpenStandardOutput();
        await using var json = output.Json ? new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }) : null;
        try
        {
            await foreach (var analysis in mediator.CreateStream(new ReplayAnalyses(symbol, source, from, to), cancellationToken))
            {
                if (json is null)
                {
                    Console.Out.WriteLine(Line(analysis));
                }
                else
                {
                    if (count == 0)
                    {
                        json.WriteStartArray();
                    }

                    JsonSerializer.Serialize(json, AnalyzeVerb.Project(analysis), CliOutput.JsonOptions);
                    await json.FlushAsync(cancellationToken);
                }

                count++;
            }
        }
        catch (RequestValidationException error) when (count == 0)
        {
            return output.Fail(HuiHuiCli.Usage, string.Join("; ", error.Failures.Select(f => f.ToString())));
        }
        catch (RefusedRequestException error) when (count == 0)
        {
            return output.Fail(HuiHuiCli.Failed, error.Message);
        }

        if (json is not null)
        {
            json.WriteEndArray();
            await json.FlushAsync(cancellationToken);
            await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
        }
        else
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{count} snapshot(s) replayed"));
        }

        return HuiHuiCli.Success;
    }

    private static string Line(Analysis a)
    {
        var f = a.Metrics.Flow;
        return string.Create(CultureInfo.InvariantCulture,
            $"{a.AsOf:yyyy-MM-dd HH:mm:ss} {a.Symbol} {a.Spot,9:0.00}  {a.Meta.Bias,-8} {a.Meta.Conviction,4:P0}  flow {f.DerivedFrom}: net {f.NetVolume:+0;-0} contracts, {f.NetPremium / 1e3:+0.0;-0.0;0.0} k$ premium, {f.UnclassifiedVolume} unclassified  {a.Meta.Strategy}");
    }
}
