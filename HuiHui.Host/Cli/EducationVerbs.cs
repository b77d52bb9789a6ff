using System.Globalization;
using System.Text;
using HuiHui.Host.Hosting;
using HuiHui.Modules.Education.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Npgsql;

namespace HuiHui.Host.Cli;

/// <summary><c>huihui ingest-docs PATH… [--tag T] [--json]</c> and <c>huihui search "QUERY" [--k N] [--json]</c>.</summary>
internal static class EducationVerbs
{
    public static async Task<int> IngestAsync(CliOutput output, IReadOnlyList<string> paths, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        using var host = CliHost.Build();
        try
        {
            var report = await host.SendAsync(new IngestDocuments(paths, tags), cancellationToken);
            var missing = report.Files.Count == 0 || report.Files.All(f => f.Outcome == "skipped");
            output.Ok(report, r => Describe(r));
            return missing && report.Files.Any(f => f.Reason is "no such file") ? HuiHuiCli.Failed : HuiHuiCli.Success;
        }
        catch (RequestValidationException error)
        {
            return output.Fail(HuiHuiCli.Usage, string.Join("; ", error.Failures.Select(f => f.ToString())));
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException { InnerException: NpgsqlException })
        {
            return output.Fail(HuiHuiCli.Failed, $"cannot store documents: PostgreSQL is unreachable ({error.GetBaseException().Message}).");
        }
    }

    public static async Task<int> SearchAsync(CliOutput output, string query, int k, CancellationToken cancellationToken)
    {
        using var host = CliHost.Build();
        try
        {
            var results = await host.SendAsync(new SearchDocuments(query, k), cancellationToken);
            return output.Ok(results, Describe);
        }
        catch (RequestValidationException error)
        {
            return output.Fail(HuiHuiCli.Usage, string.Join("; ", error.Failures.Select(f => f.ToString())));
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException { InnerException: NpgsqlException })
        {
            return output.Fail(HuiHuiCli.Failed, $"cannot search: PostgreSQL is unreachable ({error.GetBaseException().Message}).");
        }
    }

    private static string Describe(IngestReport report)
    {
        var text = new StringBuilder();
        foreach (var file in report.Files)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{file.Outcome,-9} {file.Path}{(file.Reason is null ? $" ({file.Chunks} chunks)" : $": {file.Reason}")}");
        }

        text.Append(CultureInfo.InvariantCulture, $"{report.Count("added")} added, {report.Count("replaced")} replaced, {report.Count("unchanged")} unchanged, {report.Count("skipped")} skipped.");
        return text.ToString();
    }

    private static string Describe(SearchResults results)
    {
        if (results.Passages.Count == 0)
        {
            return $"nothing found for \"{results.Query}\"";
        }

        var text = new StringBuilder();
        var rank = 0;
        foreach (var p in results.Passages)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{++rank}. {p.Title} — {p.Location}  [{p.Score:0.0000}]");
            text.AppendLine("   " + p.Snippet.Replace("<mark>", "*", StringComparison.Ordinal).Replace("</mark>", "*", StringComparison.Ordinal).ReplaceLineEndings(" "));
            text.AppendLine(CultureInfo.InvariantCulture, $"   {p.Uri}");
        }

        return text.ToString().TrimEnd();
    }
}
