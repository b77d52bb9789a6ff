using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Learning.Models;

/// <summary>
/// At start, reads the active sentiment and meta models in the background, so the first analysis does not pay for it
/// inside an expert's time budget: a cold read (the first query of Learning's context, loading a model) can take longer
/// than the budget, and the sentiment expert was then left out of the first cycle. While the read runs, the hosts answer
/// with what they hold (nothing: the lexicon and the rules), as they do during every refresh.
/// </summary>
internal sealed partial class ModelWarmup(SentimentModelHost sentiment, MetaModelHost meta, ILogger<ModelWarmup> logger) : IHostedService
{
    private Task warming = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        warming = Task.Run(async () =>
        {
            try
            {
                await sentiment.CurrentAsync(CancellationToken.None);
                await meta.CurrentAsync(CancellationToken.None);
            }
            catch (Exception error)
            {
                LogWarmupFailed(logger, error.GetBaseException().Message); // the hosts read again on their next use
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => warming.WaitAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not read the active models at start ({Reason}); they are read on first use")]
    private static partial void LogWarmupFailed(ILogger logger, string reason);
}
