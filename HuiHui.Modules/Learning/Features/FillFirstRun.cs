using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Learning.Features;

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
