using System.Globalization;
using System.Text;
using HuiHui.Host.Hosting;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Host.Cli;

/// <summary>
/// <c>huihui ideas [SYMBOL] [--json]</c>: the record of the trade ideas — the scorecard (overall, by strategy, regime and
/// conviction), the open ideas with their latest mark and the most recent closed ones. JSON: the <c>IdeaRecord</c>
/// (open, closed, overall, byStrategy, byRegime, byConviction). Exit 2 on a bad symbol, 1 when PostgreSQL cannot answer.
/// </summary>
internal static class IdeasVerb
{
    public static async Task<int> RunAsync(CliOutput output, string? symbol, CancellationToken cancellationToken)
    {
        using var host = CliHost.Build();
        try
        {
            var record = await host.SendAsync(new GetIdeaRecord(symbol, DateTimeOffset.UnixEpoch, new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero), 20), cancellationToken);
            return output.Ok(record, Describe);
        }
        catch (RequestValidationException error)
        {
            return output.Fail(HuiHuiCli.Usage, string.Join("; ", error.Failures.Select(f => f.ToString())));
        }
        catch (Npgsql.PostgresException error) when (error.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return output.Fail(HuiHuiCli.Failed, $"The database has no trade-ideas table yet ({error.MessageText}): run ./huihui.sh migrate first.");
        }
    }

    private static string Describe(IdeaRecord record)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"{"group",-28} {"trades",6} {"hit",6} {"mean R",7} {"P&L mid",10} {"natural",10}");
        foreach (var s in new[] { record.Overall }.Concat(record.ByStrategy).Concat(record.ByRegime).Concat(record.ByConviction))
        {
            text.AppendLine(c, $"{s.Group,-28} {s.Trades,6} {s.HitRate,6:P0} {(s.MeanR is { } r ? r.ToString("+0.00;-0.00;0.00", c) : "-"),7} {s.Pnl,10:+0.00;-0.00;0.00} {s.PnlNatural,10:+0.00;-0.00;0.00}");
        }

        text.AppendLine(c, $"open ({record.Open.Count})");
        foreach (var i in record.Open)
        {
            text.AppendLine(c, $"  {i.Symbol,-6} {i.OpenedAt.UtcDateTime:yyyy-MM-dd HH:mm} {i.Idea.Strategy,-18} entry {i.Idea.Entry.Mid:0.00}  P&L {(i.Pnl is { } p ? p.ToString("+0.00;-0.00;0.00", c) : "-")}  R {(i.R is { } r ? r.ToString("+0.00;-0.00;0.00", c) : "-")}");
        }

        text.Append(c, $"closed (latest {record.Closed.Count})");
        foreach (var i in record.Closed)
        {
            text.AppendLine().Append(c, $"  {i.Symbol,-6} {i.ClosedAt?.UtcDateTime:yyyy-MM-dd HH:mm} {i.Idea.Strategy,-18} {i.Outcome,-9} P&L {i.Pnl:+0.00;-0.00;0.00}  R {(i.R is { } r ? r.ToString("+0.00;-0.00;0.00", c) : "-")}");
        }

        return text.ToString();
    }
}
