using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Monitoring.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.ML;

namespace HuiHui.Modules.Learning.Models;

/// <summary>A sentiment checkpoint loaded and ready to score (one prediction engine, used under a lock).</summary>
internal sealed class LoadedSentimentModel
{
    private readonly PredictionEngine<LabelledSentence, SentimentPrediction> engine;
    private readonly Lock gate = new();

    private LoadedSentimentModel(Guid id, PredictionEngine<LabelledSentence, SentimentPrediction> engine)
    {
        Id = id;
        this.engine = engine;
    }

    public Guid Id { get; }

    public string Name => $"model:{Id.ToString("N")[..8]}";

    /// <summary>Loads and checks a checkpoint: it must read text and give three class probabilities.</summary>
    public static LoadedSentimentModel Load(Guid id, byte[] bytes)
    {
        try
        {
            var ml = new MLContext();
            using var stream = new MemoryStream(bytes);
            var model = ml.Model.Load(stream, out _);
            var engine = ml.Model.CreatePredictionEngine<LabelledSentence, SentimentPrediction>(model);
            var probe = engine.Predict(new LabelledSentence { Text = "Shares rose after the company raised its outlook." });
            if (probe.Score.Length != SentimentModel.Labels.Length || !SentimentModel.Labels.Contains(probe.PredictedLabel))
            {
                throw new ModelRefusedException($"checkpoint {id} is not a 3-class sentiment model (it gives {probe.Score.Length} scores, label '{probe.PredictedLabel}')");
            }

            return new LoadedSentimentModel(id, engine);
        }
        catch (Exception exception) when (exception is not ModelRefusedException and not OutOfMemoryException)
        {
            throw new ModelRefusedException($"checkpoint {id} cannot be loaded as a sentiment model: {exception.GetBaseException().Message}");
        }
    }

    public SentenceScore Score(string text)
    {
        SentimentPrediction prediction;
        lock (gate)
        {
            prediction = engine.Predict(new LabelledSentence { Text = text });
        }

        var p = prediction.Score;
        var best = Array.IndexOf(p, p.Max());
        return new SentenceScore(SentimentModel.Labels[best], p[2] - p[0], p[best]);
    }
}

/// <summary>
/// Keeps the active sentiment checkpoint loaded. Activation in this process swaps it at once; other processes notice
/// within <see cref="CheckEvery"/>. A checkpoint that cannot be loaded is marked rejected (with why), an alert is
/// raised, and the previous model stays in use.
/// </summary>
internal sealed partial class SentimentModelHost(IServiceScopeFactory scopes, TimeProvider time, ILogger<SentimentModelHost> logger) : IDisposable
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile LoadedSentimentModel? current;
    private DateTimeOffset nextCheck = DateTimeOffset.MinValue;

    public async Task<LoadedSentimentModel?> CurrentAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() >= nextCheck)
        {
            await RefreshAsync(cancellationToken);
        }

        return current;
    }

    public void Use(LoadedSentimentModel model)
    {
        current = model;
        nextCheck = time.GetUtcNow() + CheckEvery;
    }

    public void Dispose() => gate.Dispose();

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (!await gate.WaitAsync(0, cancellationToken))
        {
            return; // another caller is refreshing; use what is loaded meanwhile
        }

        try
        {
            nextCheck = time.GetUtcNow() + CheckEvery;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LearningDbContext>();
            var active = await db.ModelCheckpoints.AsNoTracking()
                .Where(c => c.Kind == ModelKinds.Sentiment && c.Status == CheckpointStatus.Active)
                .Select(c => new { c.Id })
                .FirstOrDefaultAsync(cancellationToken);
            if (active is null)
            {
                current = null;
                return;
            }

            if (active.Id == current?.Id)
            {
                return;
            }

            var bytes = await db.ModelCheckpoints.AsNoTracking().Where(c => c.Id == active.Id).Select(c => c.Model).SingleAsync(cancellationToken);
            try
            {
                current = LoadedSentimentModel.Load(active.Id, bytes);
                LogLoaded(logger, active.Id);
            }
            catch (ModelRefusedException refused)
            {
                await Checkpoints.RefuseAsync(db, active.Id, refused.Message, restore: current?.Id, cancellationToken);
                await scope.ServiceProvider.GetRequiredService<IMediator>().Send(
                    new RaiseAlert("learning", "checkpoint-refused:sentiment", AlertSeverity.Warning, $"{refused.Message}; {(current is null ? "the lexicon scores headlines" : $"{current.Name} stays active")}"),
                    cancellationToken);
                LogRefused(logger, active.Id, refused.Message);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Database down: keep scoring with what is loaded, look again later.
            LogCheckFailed(logger, exception.GetBaseException().Message);
        }
        finally
        {
            gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sentiment model {Id} loaded")]
    private static partial void LogLoaded(ILogger logger, Guid id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sentiment checkpoint {Id} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the active sentiment model: {Problem}")]
    private static partial void LogCheckFailed(ILogger logger, string problem);
}
