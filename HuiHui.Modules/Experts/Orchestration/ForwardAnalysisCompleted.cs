using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>Hands each <see cref="AnalysisCompleted"/> to the host's listeners (the hub pushes it to browsers).</summary>
internal sealed partial class ForwardAnalysisCompleted(IEnumerable<IHostListener<AnalysisCompleted>> listeners, ILogger<ForwardAnalysisCompleted> logger)
    : INotificationHandler<AnalysisCompleted>
{
    public async ValueTask Handle(AnalysisCompleted notification, CancellationToken cancellationToken)
    {
        foreach (var listener in listeners)
        {
            try
            {
                await listener.OnAsync(notification, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogListenerFailed(logger, listener.GetType().Name, notification.Symbol, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Listener} failed on the analysis of {Symbol}")]
    private static partial void LogListenerFailed(ILogger logger, string listener, string symbol, Exception exception);
}
