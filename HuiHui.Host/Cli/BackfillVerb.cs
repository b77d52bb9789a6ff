using System.Globalization;
using System.Text;
using HuiHui.Host.Hosting;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Npgsql;

namespace HuiHui.Host.Cli;

/// <summary>
/// <c>huihui backfill [--symbols SPY,QQQ] [--days 30] [--source simulated|tradier|file:PATH] [--json]</c>:
/// daily history into <c>market_data.underlying_ohlc</c>, idempotent. Without <c>--symbols</c>, the watch-list.
/// Exit 1 when any symbol failed (the others are still stored), 2 on bad arguments.
/// </summary>
internal static class BackfillVerb
{
    public static async Task<int> RunAsync(CliOutput output, string? symbols, int days, string? source, CancellationToken cancellationToken)
    {
        using var host = CliHost.Build();
        var list = symbols is null
            ? (await host.SendAsync(new GetIngestionStatus(), cancellationToken)).WatchList
            : symbols.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try
        {
            var report = await host.SendAsync(new BackfillHistory(list, days, source), cancellationToken);
            var failed = report.Symbols.Where(s => s.Error is not null).ToList();
            var payload = new { days, symbols = report.Symbols };
            if (failed.Count == 0)
            {
                return output.Ok(payload, _ => Describe(report));
            }

            output.Ok(payload, _ => Describe(report));
            return HuiHuiCli.Failed;
        }
        catch (RequestValidationException error)
        {
            return output.Fail(HuiHuiCli.Usage, string.Join("; ", error.Failures.Select(f => f.ToString())));
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException { InnerException: NpgsqlException })
        {
            return output.Fail(HuiHuiCli.Failed, $"cannot store history: PostgreSQL is unreachable ({error.GetBaseException().Message}).");
        }
    }

    private static string Describe(BackfillReport report)
    {
        var text = new StringBuilder();
        foreach (var s in report.Symbols)
        {
            text.AppendLine(s.Error is null
                ? string.Create(CultureInfo.InvariantCulture, $"{s.Symbol,-8} {s.Source,-10} {s.Fetched,5} bars: {s.Inserted} new, {s.Updated} changed")
                : $"{s.Symbol,-8} failed: {s.Error}");
        }

        return text.ToString().TrimEnd();
    }
}
