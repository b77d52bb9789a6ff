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
            using var stopBar = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var ingest = host.SendAsync(new IngestDocuments(paths, tags), cancellationToken);
            var bar = output.Json ? Task.CompletedTask : ShowProgressAsync(host, ingest, stopBar.Token);
            IngestReport report;
            try
            {
                report = await ingest;
            }
            finally
            {
                await stopBar.CancelAsync();
                await bar.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

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

    /// <summary>
    /// A progress bar on stderr while the ingest runs (files, chunks embedded, the file at hand), redrawn in place on a
    /// terminal and printed as a line every ten per cent otherwise (logs, CI).
    /// </summary>
    private static async Task ShowProgressAsync(CliHost host, Task ingest, CancellationToken cancellationToken)
    {
        var terminal = !Console.IsErrorRedirected;
        var lastDecile = -1;
        var drawn = false;
        while (!ingest.IsCompleted && !cancellationToken.IsCancellationRequested)
        {
            var progress = await host.SendAsync(new GetIngestProgress(), cancellationToken);
            if (progress.Running && progress.Files > 0)
            {
                var line = Bar(progress);
                if (terminal)
                {
                    Console.Error.Write("\r" + line.PadRight(Math.Max(1, Console.WindowWidth - 1))[..Math.Max(1, Console.WindowWidth - 1)]);
                    drawn = true;
                }
                else if ((int)(progress.Fraction * 10) is var decile && decile > lastDecile)
                {
                    lastDecile = decile;
                    Console.Error.WriteLine(line);
                }
            }

            await Task.Delay(terminal ? 200 : 1000, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (drawn)
        {
            Console.Error.WriteLine();
        }
    }

    private static string Bar(IngestProgressView p)
    {
        const int width = 30;
        var filled = (int)Math.Round(p.Fraction * width);
        var file = p.CurrentFile is null ? "" : " " + Path.GetFileName(p.CurrentFile);
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', width - filled)}] {p.Fraction,4:P0} {p.FilesDone}/{p.Files} files, {p.ChunksEmbedded:N0} chunks ({p.ChunksReused:N0} reused) with {p.Model}{file}");
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
