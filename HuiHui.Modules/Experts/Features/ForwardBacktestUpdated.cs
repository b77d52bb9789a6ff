using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Experts.Features;

/// <summary>Hands each <see cref="BacktestUpdated"/> to the host's listeners (the hub pushes it to the Backtests page).</summary>
internal sealed partial class ForwardBacktestUpdated(IEnumerable<IHostListener<BacktestUpdated>> listeners, ILogger<ForwardBacktestUpdated> logger)
    : INotificationHandler<BacktestUpdated>
{
    public ValueTask Handle(BacktestUpdated notification, CancellationToken cancellationToken) =>
        HostListeners.TellAsync(listeners, notification, (listener, exception) => LogListenerFailed(logger, listener, notification.Id, exception), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Listener} failed on the progress of backtest {Id}")]
    private static partial void LogListenerFailed(ILogger logger, string listener, Guid id, Exception exception);
}
