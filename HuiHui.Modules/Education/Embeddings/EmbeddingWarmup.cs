using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Education.Embeddings;

/// <summary>
/// Loads the embedding model and embeds one query when the host starts, in the background, so the first search of a
/// running hub does not pay the model's load (~1.5 s for the local model) and ONNX Runtime's first-run set-up.
/// </summary>
internal sealed partial class EmbeddingWarmup(IServiceProvider services, ILogger<EmbeddingWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            var model = (EmbeddingModel)services.GetService(typeof(EmbeddingModel))!;
            await model.WarmAsync("what is dealer gamma", stoppingToken);
            LogWarm(logger, model.ModelId);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogFailed(logger, error.GetBaseException().Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedding model {Model} loaded and warm")]
    private static partial void LogWarm(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The embedding model could not be warmed at start: {Reason}; the first search will load it")]
    private static partial void LogFailed(ILogger logger, string reason);
}
