using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Experts.Features;

/// <summary>Hands each <see cref="AnalysisCompleted"/> to the host's listeners (the hub pushes it to browsers).</summary>
internal sealed partial class ForwardAnalysisCompleted(IEnumerable<IHostListener<AnalysisCompleted>> listeners, ILogger<ForwardAnalysisCompleted> logger)
    : INotificationHandler<AnalysisCompleted>
{
    public ValueTask Handle(AnalysisCompleted notification, CancellationToken cancellationToken) =>
        HostListeners.TellAsync(listeners, notification, (listener, exception) => LogListenerFailed(logger, listener, notification.Symbol, exception), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Listener} failed on the analysis of {Symbol}")]
    private static partial void LogListenerFailed(ILogger logger, string listener, string symbol, Exception exception);
}
