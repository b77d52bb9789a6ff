using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Experts.Features;

/// <summary>Hands each <see cref="MarketAlertRaised"/> to the host's listeners (the hub pushes it to the subscribed users).</summary>
internal sealed partial class ForwardMarketAlertRaised(IEnumerable<IHostListener<MarketAlertRaised>> listeners, ILogger<ForwardMarketAlertRaised> logger)
    : INotificationHandler<MarketAlertRaised>
{
    public ValueTask Handle(MarketAlertRaised notification, CancellationToken cancellationToken) =>
        HostListeners.TellAsync(listeners, notification, (listener, exception) => LogListenerFailed(logger, listener, notification.Alert.Symbol, notification.Alert.Kind, exception), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Listener} failed on the {Kind} alert of {Symbol}")]
    private static partial void LogListenerFailed(ILogger logger, string listener, string symbol, string kind, Exception exception);
}
