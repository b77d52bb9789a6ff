using System.ComponentModel;
using HuiHui.Modules.Education.Contracts;
using Mediator;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Education.Jobs;

/// <summary>Hangfire entry point: ingest the configured corpus folders (admins can trigger it from the dashboard).</summary>
internal sealed class EducationJobs(IMediator mediator, IOptions<EducationOptions> options)
{
    public const string IngestCorpusId = "education:ingest-corpus";

    [DisplayName("Ingest the education corpus folders")]
    public async Task<IngestReport> IngestCorpusAsync(CancellationToken cancellationToken) =>
        await mediator.Send(new IngestDocuments(CorpusFolders(options.Value)), cancellationToken);

    public static IReadOnlyList<string> CorpusFolders(EducationOptions options) =>
        (options.CorpusFolders.Count > 0 ? options.CorpusFolders : [.. EducationOptions.DefaultCorpusFolders]).Where(Directory.Exists).ToList();
}
