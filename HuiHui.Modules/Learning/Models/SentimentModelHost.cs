using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.ML;
using Npgsql;

namespace HuiHui.Modules.Learning.Models;

/// <summary>A sentiment checkpoint loaded and ready to score.</summary>
internal sealed class LoadedSentimentModel(Guid id, PredictionEngine<LabelledSentence, SentimentPrediction> engine)
    : LoadedModel<LabelledSentence, SentimentPrediction>(id, engine)
{
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
        var p = Predict(new LabelledSentence { Text = text }).Score;
        var best = Array.IndexOf(p, p.Max());
        return new SentenceScore(SentimentModel.Labels[best], p[2] - p[0], p[best]);
    }
}

/// <summary>A checkpoint loaded and ready to answer.</summary>
internal interface ILoadedModel
{
    Guid Id { get; }

    /// <summary><c>model:ID8</c>.</summary>
    string Name { get; }
}

/// <summary>A checkpoint's prediction engine (not thread-safe, so used under a lock).</summary>
internal abstract class LoadedModel<TInput, TOutput>(Guid id, PredictionEngine<TInput, TOutput> engine) : ILoadedModel
    where TInput : class
    where TOutput : class, new()
{
    private readonly Lock gate = new();

    public Guid Id { get; } = id;

    public string Name => $"model:{Id.ToString("N")[..8]}";

    protected TOutput Predict(TInput input)
    {
        lock (gate)
        {
            return engine.Predict(input);
        }
    }
}

/// <summary>
/// Keeps the active checkpoint of one kind loaded. Activation in this process swaps it at once (<see cref="Use"/>);
/// other processes notice within <c>HuiHui:Learning:ModelCheckInterval</c> (30 s). Callers during a process's first look
/// wait for it; later looks never hold a caller up (it answers with the model already loaded). A checkpoint that cannot be loaded
/// is marked rejected (with why), an alert is raised, and the previous model stays in use.
/// </summary>
internal abstract partial class ActiveModelHost<TModel>(IServiceScopeFactory scopes, TimeProvider time, IConfiguration configuration, ILogger logger) : IDisposable
    where TModel : class, ILoadedModel
{
    public static readonly TimeSpan DefaultCheckEvery = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly TimeSpan checkEvery = configuration.GetValue("HuiHui:Learning:ModelCheckInterval", DefaultCheckEvery);
    private volatile TModel? current;
    private volatile bool lookedOnce;
    private DateTimeOffset nextCheck = DateTimeOffset.MinValue;

    protected abstract string Kind { get; }

    public async Task<TModel?> CurrentAsync(CancellationToken cancellationToken)
    {
        if (!lookedOnce || time.GetUtcNow() >= nextCheck)
        {
            await RefreshAsync(cancellationToken);
        }

        return current;
    }

    public void Use(TModel model)
    {
        current = model;
        nextCheck = time.GetUtcNow() + checkEvery;
    }

    public void Dispose()
    {
        gate.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Loads and checks checkpoint bytes; throws <see cref="ModelRefusedException"/> when they cannot be used.</summary>
    protected abstract TModel Load(Guid id, byte[] bytes, int featureSchemaVersion);

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (!await gate.WaitAsync(0, cancellationToken))
        {
            if (!lookedOnce)
            {
                // A fresh process's first look is under way: wait for it rather than answer without the model.
                await gate.WaitAsync(cancellationToken);
                gate.Release();
            }

            return; // another caller is refreshing; use what is loaded meanwhile
        }

        try
        {
            nextCheck = time.GetUtcNow() + checkEvery;
            await using var scope = scopes.CreateAsyncScope();
            var dataSource = scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>();
            // Plain statements, not the context: a fresh process (a one-shot analyze) checks this on its critical path, where
            // the context's first query costs ~350 ms of set-up (EF's services, the LINQ translation) for one small lookup.
            await using var select = dataSource.CreateCommand(
                $"SELECT id, feature_schema_version, CASE WHEN id = $3 THEN NULL ELSE model END FROM {LearningDbContext.Schema}.model_checkpoints WHERE kind = $1 AND status = $2 LIMIT 1");
            select.Parameters.Add(new NpgsqlParameter { Value = Kind });
            select.Parameters.Add(new NpgsqlParameter { Value = nameof(CheckpointStatus.Active) });
            select.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = current?.Id ?? Guid.Empty });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                current = null;
                return;
            }

            var active = (Id: reader.GetGuid(0), FeatureSchemaVersion: reader.GetInt32(1));
            if (active.Id == current?.Id)
            {
                return; // the loaded one is still active (its bytes were not read)
            }

            var bytes = await reader.GetFieldValueAsync<byte[]>(2, cancellationToken);
            await reader.DisposeAsync();
            try
            {
                current = Load(active.Id, bytes, active.FeatureSchemaVersion);
                LogLoaded(logger, Kind, active.Id);
            }
            catch (ModelRefusedException refused)
            {
                var db = scope.ServiceProvider.GetRequiredService<LearningDbContext>();
                await Checkpoints.RefuseAsync(db, active.Id, refused.Message, restore: current?.Id, cancellationToken);
                await scope.ServiceProvider.GetRequiredService<IMediator>().Send(
                    new RaiseAlert("learning", $"checkpoint-refused:{Kind}", AlertSeverity.Warning, $"{refused.Message}; {(current is null ? "the built-in rules answer" : $"{current.Name} stays active")}"),
                    cancellationToken);
                LogRefused(logger, Kind, active.Id, refused.Message);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Database down: keep answering with what is loaded, look again later.
            LogCheckFailed(logger, Kind, exception.GetBaseException().Message);
        }
        finally
        {
            lookedOnce = true;
            gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} model {Id} loaded")]
    private static partial void LogLoaded(ILogger logger, string kind, Guid id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} checkpoint {Id} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string kind, Guid id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the active {Kind} model: {Problem}")]
    private static partial void LogCheckFailed(ILogger logger, string kind, string problem);
}

internal sealed class SentimentModelHost(IServiceScopeFactory scopes, TimeProvider time, IConfiguration configuration, ILogger<SentimentModelHost> logger)
    : ActiveModelHost<LoadedSentimentModel>(scopes, time, configuration, logger)
{
    protected override string Kind => ModelKinds.Sentiment;

    protected override LoadedSentimentModel Load(Guid id, byte[] bytes, int featureSchemaVersion) => LoadedSentimentModel.Load(id, bytes);
}

internal sealed class MetaModelHost(IServiceScopeFactory scopes, TimeProvider time, IConfiguration configuration, ILogger<MetaModelHost> logger)
    : ActiveModelHost<LoadedMetaModel>(scopes, time, configuration, logger)
{
    protected override string Kind => ModelKinds.MetaGating;

    protected override LoadedMetaModel Load(Guid id, byte[] bytes, int featureSchemaVersion) => LoadedMetaModel.Load(id, bytes, featureSchemaVersion);
}
