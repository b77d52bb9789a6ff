using HuiHui.Modules.Experts.Contracts;
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

/// <summary>The progress as the Learning page reads it.</summary>
internal sealed class GetFirstRunStatusHandler(FirstRunProgress progress) : IQueryHandler<GetFirstRunStatus, FirstRunStatus>
{
    public ValueTask<FirstRunStatus> Handle(GetFirstRunStatus query, CancellationToken cancellationToken) => ValueTask.FromResult(progress.Current);
}

/// <summary>The store already holds data: the first-run fill never mixes simulated history into it.</summary>
internal sealed class FirstRunRefusedException(string message) : RefusedRequestException(message);

/// <summary>
/// The fill itself (see <see cref="FillFirstRun"/>): the simulated market's five trading days before its start, replayed through
/// the analysis pipeline (<see cref="ReplayAnalyses"/>) one step every <see cref="FillFirstRun.Every"/>; each analysis'
/// feature vector is written as the live handler would write it; the minutes of those days are archived by Ingestion; then
/// labels, scorecards and the meta model, exactly as the hourly and nightly jobs make them.
/// </summary>
internal sealed partial class FillFirstRunHandler(LearningDbContext db, IMediator mediator, FeatureWriter writer, FirstRunProgress progress, TimeProvider time, ILogger<FillFirstRunHandler> logger)
    : ICommandHandler<FillFirstRun, FirstRunStatus>
{
    /// <summary>The simulated replay's default range: five trading days of 390 minutes.</summary>
    private const int ReplayMinutes = 5 * 390;

    public async ValueTask<FirstRunStatus> Handle(FillFirstRun command, CancellationToken cancellationToken)
    {
        if (await db.FeatureVectors.AnyAsync(cancellationToken) || await db.ModelCheckpoints.AnyAsync(cancellationToken))
        {
            throw new FirstRunRefusedException("the learning store already holds feature vectors or checkpoints: the first-run fill only fills an empty one");
        }

        var symbols = command.Symbols.Select(s => s.Trim().ToUpperInvariant()).Distinct().ToList();
        var steps = (int)Math.Ceiling(ReplayMinutes / Math.Max(1, command.Every.TotalMinutes));
        progress.Set("replaying", $"replaying {steps * symbols.Count} analyses of the simulated market's last five trading days", 0, steps * symbols.Count);
        try
        {
            foreach (var symbol in symbols)
            {
                var batch = new List<FeatureVectorRecord>(500);
                DateTimeOffset? first = null, last = null;
                await foreach (var analysis in mediator.CreateStream(new ReplayAnalyses(symbol, ReplaySnapshots.Simulated, Every: command.Every), cancellationToken))
                {
                    first ??= analysis.AsOf;
                    last = analysis.AsOf;
                    batch.Add(RecordFeatureVector.VectorOf(analysis, time.GetUtcNow()));
                    progress.Advance($"replaying {symbol}: {analysis.AsOf.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
                    if (batch.Count == 500)
                    {
                        await writer.WriteNowAsync(batch, cancellationToken);
                        batch.Clear();
                    }
                }

                if (batch.Count > 0)
                {
                    await writer.WriteNowAsync(batch, cancellationToken);
                }

                if (first is { } from && last is { } to)
                {
                    await mediator.Send(new ArchiveSimulatedMinutes(symbol, from.AddMinutes(-30), to + command.Horizon), cancellationToken);
                }
            }

            progress.Set("labelling", "labelling the outcomes and scoring the experts");
            var labels = await mediator.Send(new GenerateLabels(command.Horizon), cancellationToken);
            var cards = await mediator.Send(new RefreshScorecards(command.Horizon), cancellationToken);
            progress.Set("training", $"{labels.Labelled} outcomes labelled; training a first meta model");
            string model;
            try
            {
                var report = await mediator.Send(new TrainMetaModel(command.Horizon), cancellationToken);
                model = $"meta model {report.CheckpointId.ToString()[..8]} {(report.Promoted ? "active" : "not promoted")} ({report.Reason})";
            }
            catch (ModelRefusedException refused)
            {
                model = $"no meta model yet: {refused.Message}";
            }

            var summary = $"{progress.Current.Done} simulated analyses replayed, {labels.Labelled} outcomes labelled, {cards.Count(c => c.Regime is null)} expert scorecards; {model}";
            progress.Set("done", summary);
            LogFilled(logger, summary);
            return progress.Current;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            progress.Set("failed", $"the first-run fill stopped: {error.GetBaseException().Message}");
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "First-run fill: {Summary}")]
    private static partial void LogFilled(ILogger logger, string summary);
}

/// <summary>
/// At the hub's start, when <c>HuiHui:Learning:FillOnFirstStart</c> (default on) and the learning store is empty, fills it
/// in the background (<see cref="FillFirstRun"/>) for the watch-list symbols the simulated market feeds first, so a new user
/// sees scorecards and a checkpoint within minutes. A store with data, or a watch-list fed by real providers, is left alone.
/// </summary>
internal sealed partial class FirstRunFiller(IServiceScopeFactory scopes, IConfiguration configuration, FirstRunProgress progress, ILogger<FirstRunFiller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("HuiHui:Learning:FillOnFirstStart", true))
        {
            return;
        }

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
