using HuiHui.Modules.Experts.Contracts;
using Mediator;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Experts.Features;

/// <summary>Logs each finished analysis at debug level (the hub's live push and the stores react in their own handlers).</summary>
internal sealed class LogAnalysisCompleted(ILogger<LogAnalysisCompleted> logger) : INotificationHandler<AnalysisCompleted>
{
    public ValueTask Handle(AnalysisCompleted notification, CancellationToken cancellationToken)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Analysis of {Symbol} at {AsOf}: {Bias} ({Conviction:P0})", notification.Symbol, notification.AsOf, notification.Bias, notification.Conviction);
        }

        return ValueTask.CompletedTask;
    }
}
