using HuiHui.Modules.Education.Contracts;
using HuiHui.Modules.Education.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using HuiHui.Modules.Education.Jobs;

namespace HuiHui.Modules.Education.Features;

/// <summary>
/// On start, when the corpus is empty, ingest the starter corpus so search works out of the box — after the live loop's
/// first cycle (<see cref="Shared.Hosting.LiveStart"/>): embedding it keeps both cores busy for a while.
/// </summary>
internal sealed partial class StarterCorpus(IServiceScopeFactory scopes, IOptions<EducationOptions> options, Shared.Hosting.LiveStart liveStart, ILogger<StarterCorpus> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IngestOnFirstStart)
        {
            return;
        }

        await liveStart.WaitAsync(Shared.Hosting.LiveStart.MaxWait, stoppingToken);
        var delay = TimeSpan.FromSeconds(2);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<EducationDbContext>().Documents.AnyAsync(stoppingToken))
                {
                    return;
                }

                var folders = EducationJobs.CorpusFolders(options.Value);
                if (folders.Count == 0)
                {
                    return;
                }

                var report = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new IngestDocuments(folders, ["starter"]), stoppingToken);
                LogIngested(logger, report.Count("added"), report.Count("skipped"));
                return;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogRetrying(logger, error.GetBaseException().Message); // the database may still be starting or migrating
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Starter corpus ingested: {Added} document(s), {Skipped} skipped.")]
    private static partial void LogIngested(ILogger logger, int added, int skipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot ingest the starter corpus yet, will retry: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string reason);
}
