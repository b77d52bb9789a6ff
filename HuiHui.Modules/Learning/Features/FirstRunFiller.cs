using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Learning.Features;

/// <summary>The first-run fill's progress, for the Learning page (one fill per process).</summary>
internal sealed class FirstRunProgress(TimeProvider time)
{
    private readonly Lock gate = new();
    private FirstRunStatus current = FirstRunStatus.None;

    public FirstRunStatus Current
    {
        get
        {
            lock (gate)
            {
                return current;
            }
        }
    }

    public void Set(string state, string message, int? done = null, int? total = null)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var finished = state is "done" or "skipped" or "failed";
            current = new FirstRunStatus(state, done ?? current.Done, total ?? current.Total, message, current.StartedAt ?? now, finished ? now : null);
        }
    }

    public void Advance(string message)
    {
        lock (gate)
        {
            current = current with { Done = current.Done + 1, Message = message };
        }
    }
}

/// <summary>The store already holds data: the first-run fill never mixes simulated history into it.</summary>
internal sealed class FirstRunRefusedException(string message) : RefusedRequestException(message);

/// <summary>
/// At the hub's start, when <c>HuiHui:Learning:FillOnFirstStart</c> (default on) and the learning store is empty, fills it
/// in the background (<see cref="FillFirstRun"/>) for the watch-list symbols the simulated market feeds first, so a new user
/// sees scorecards and a checkpoint within minutes. A store with data, or a watch-list fed by real providers, is left alone.
/// It starts after the live loop's first cycle (<see cref="Shared.Hosting.LiveStart"/>), which it would otherwise slow.
/// </summary>
internal sealed partial class FirstRunFiller(IServiceScopeFactory scopes, IConfiguration configuration, FirstRunProgress progress, Shared.Hosting.LiveStart liveStart, ILogger<FirstRunFiller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("HuiHui:Learning:FillOnFirstStart", true))
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
                var db = scope.ServiceProvider.GetRequiredService<LearningDbContext>();
                if (await db.FeatureVectors.AnyAsync(stoppingToken) || await db.ModelCheckpoints.AnyAsync(stoppingToken))
                {
                    return;
                }

                var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
                var status = await mediator.Send(new GetIngestionStatus(), stoppingToken);
                var simulated = status.Symbols.Where(s => status.WatchList.Contains(s.Symbol, StringComparer.OrdinalIgnoreCase)
                    && s.Providers.Count > 0 && s.Providers[0] == ReplaySnapshots.Simulated).Select(s => s.Symbol).ToList();
                if (simulated.Count == 0)
                {
                    progress.Set("skipped", "the watch-list is fed by real providers: the learning store fills from the live analyses");
                    return;
                }

                var horizon = configuration.GetValue("HuiHui:Learning:TrainingHorizon", TimeSpan.FromMinutes(15));
                await mediator.Send(new FillFirstRun(simulated, TimeSpan.FromMinutes(5), horizon), stoppingToken);
                return;
            }
            catch (FirstRunRefusedException)
            {
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot fill the learning store yet, will retry: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string reason);
}
