using System.Globalization;
using System.Text;
using HuiHui.Host.Hosting;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Host.Cli;

/// <summary>
/// <c>huihui bench [--cycles 1000] [--contracts 5000] [--symbol SPY] [--json]</c>: the whole analysis pipeline on a
/// simulated chain widened to the given size; p50/p99/max latency per stage (snapshot read, metrics, experts, meta, total).
/// </summary>
internal static class BenchVerb
{
    public static async Task<int> RunAsync(CliOutput output, string symbol, int cycles, int contracts, CancellationToken cancellationToken)
    {
        using var host = CliHost.Build();
        try
        {
            var result = await host.SendAsync(new RunAnalysisBenchmark(symbol, cycles, contracts), cancellationToken);
            return output.Ok(result, Describe);
        }
        catch (RequestValidationException error)
        {
            return output.Fail(HuiHuiCli.Usage, string.Join("; ", error.Failures.Select(f => f.ToString())));
        }
        catch (RefusedRequestException error)
        {
            return output.Fail(HuiHuiCli.Failed, error.Message);
        }
    }

    private static string Describe(AnalysisBenchmark b)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"{b.Symbol}: {b.Cycles} cycles, {b.Contracts} contracts, {b.Prints} prints (ms)");
        text.AppendLine("stage        p50       p99       max");
        foreach (var s in b.Stages)
        {
            text.AppendLine(c, $"{s.Stage,-9} {s.P50,8:F3}  {s.P99,8:F3}  {s.Max,8:F3}");
        }

        return text.ToString().TrimEnd();
    }
}
