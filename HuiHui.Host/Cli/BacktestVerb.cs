using System.Globalization;
using System.Text;
using HuiHui.Host.Hosting;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Host.Cli;

/// <summary>
/// <c>huihui backtest SYMBOL[,SYMBOL…] --source simulated|archive|file:PATH [--from T] [--to T] [--every MINUTES] [--json]</c>:
/// the source replayed through the live pipeline, ideas proposed and followed as live, scored beside the baselines.
/// Progress goes to stderr. With <c>--json</c>: <c>{ "summary", "baselines", "ideas", … }</c>. Nothing is stored.
/// Exit 1 when the source holds nothing to replay, 2 on bad arguments.
/// </summary>
internal static class BacktestVerb
{
    public static async Task<int> RunAsync(CliOutput output, string symbols, string source, string? fromText, string? toText, int? everyMinutes, CancellationToken cancellationToken)
    {
        if (!TimeInput.TryParse(fromText, toText, out var from, out var to, out var bad))
        {
            return output.Fail(HuiHuiCli.Usage, bad);
        }

        if (everyMinutes is < 1)
        {
            return output.Fail(HuiHuiCli.Usage, $"--every {everyMinutes}: give the minutes between simulated snapshots, 1 or more");
        }

        var list = symbols.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using var host = CliHost.Build();
        var progress = new Progress(Console.Error);
        try
        {
            var report = await host.SendAsync(new RunBacktest(list, source, from, to, everyMinutes is { } m ? TimeSpan.FromMinutes(m) : null, progress), cancellationToken);
            return output.Ok(report, Describe);
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

    internal static string Describe(BacktestReport b)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"{string.Join(",", b.Symbols)} from {b.Source}: {b.From:yyyy-MM-dd HH:mm} to {b.To:yyyy-MM-dd HH:mm} UTC, {b.Snapshots} snapshots in {b.ElapsedSeconds:0.0} s ({b.SnapshotsPerSecond:0} per second)");
        text.AppendLine();
        text.AppendLine("                 trades   hit    mean R   sharpe     P&L $   natural $   max DD $  exposure");
        Row("ideas", b.Summary);
        foreach (var (name, summary) in b.Baselines)
        {
            Row(name, summary);
        }

        Groups("by strategy", b.Summary.ByStrategy);
        Groups("by regime", b.Summary.ByRegime);
        return text.ToString().TrimEnd();

        void Row(string name, BacktestSummary s) => text.AppendLine(c,
            $"{name,-16} {s.Trades,6}  {s.HitRate,5:P0}  {Num(s.MeanR),7}  {Num(s.Sharpe),7}  {s.Pnl,8:0}  {s.PnlNatural,10:0}  {s.MaxDrawdown,9:0}  {s.Exposure,8:P0}");

        void Groups(string title, IReadOnlyList<BacktestGroup> groups)
        {
            var width = groups.Select(g => g.Group.Length).Append(title.Length).Max() + 1;
            text.AppendLine();
            text.AppendLine(c, $"{title.PadRight(width)} trades   hit    mean R     P&L $");
            foreach (var g in groups)
            {
                text.AppendLine(c, $"{g.Group.PadRight(width)} {g.Trades,6}  {g.HitRate,5:P0}  {Num(g.MeanR),7}  {g.Pnl,8:0}");
            }
        }

        static string Num(double? value) => value is { } v ? v.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : "–";
    }

    /// <summary>One line per symbol and hundred snapshots on stderr, written at once (not on the thread pool).</summary>
    private sealed class Progress(TextWriter error) : IProgress<BacktestProgress>
    {
        public void Report(BacktestProgress value)
        {
            if (value.Done || value.Snapshots % 1000 == 0)
            {
                lock (error)
                {
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{value.Symbol}: {value.Snapshots} snapshots, at {value.AsOf:yyyy-MM-dd HH:mm}{(value.Done ? " — done" : "")}"));
                }
            }
        }
    }
}
