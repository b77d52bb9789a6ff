using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>Hands each <see cref="AnalysisCompleted"/> to the host's listeners (the hub pushes it to browsers).</summary>
internal sealed partial class ForwardAnalysisCompleted(IEnumerable<IHostListener<AnalysisCompleted>> listeners, ILogger<ForwardAnalysisCompleted> logger)
    : INotificationHandler<AnalysisCompleted>
{
    public ValueTask Handle(AnalysisCompleted notification, CancellationToken cancellationToken) =>
        HostListeners.TellAsync(listeners, notification, (listener, exception) => LogListenerFailed(logger, listener, notification.Symbol, exception), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Listener} failed on the analysis of {Symbol}")]
    private static partial void LogListenerFailed(ILogger logger, string listener, string symbol, Exception exception);
}

/// <summary>Hands each <see cref="BacktestUpdated"/> to the host's listeners (the hub pushes it to the Backtests page).</summary>
internal sealed partial class ForwardBacktestUpdated(IEnumerable<IHostListener<BacktestUpdated>> listeners, ILogger<ForwardBacktestUpdated> logger)
    : INotificationHandler<BacktestUpdated>
{
    public ValueTask Handle(BacktestUpdated notification, CancellationToken cancellationToken) =>
        HostListeners.TellAsync(listeners, notification, (listener, exception) => LogListenerFailed(logger, listener, notification.Id, exception), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Listener} failed on the progress of backtest {Id}")]
    private static partial void LogListenerFailed(ILogger logger, string listener, Guid id, Exception exception);
}

/// <summary>Hands each <see cref="MarketAlertRaised"/> to the host's listeners (the hub pushes it to the subscribed users).</summary>
internal sealed partial class ForwardMarketAlertRaised(IEnumerable<IHostListener<MarketAlertRaised>> listeners, ILogger<ForwardMarketAlertRaised> logger)
    : INotificationHandler<MarketAlertRaised>
{
    public ValueTask Handle(MarketAlertRaised notification, CancellationToken cancellationToken) =>
        HostListeners.TellAsync(listeners, notification, (listener, exception) => LogListenerFailed(logger, listener, notification.Alert.Symbol, notification.Alert.Kind, exception), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Listener} failed on the {Kind} alert of {Symbol}")]
    private static partial void LogListenerFailed(ILogger logger, string listener, string symbol, string kind, Exception exception);
}
