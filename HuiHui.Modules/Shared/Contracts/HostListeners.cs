using Mediator;

namespace HuiHui.Modules.Shared.Contracts;

/// <summary>
/// How the host hears a module's notification: the source generator only sees handlers in the modules' assembly,
/// so a module forwards the notifications the host needs to every registered listener (e.g. the hub's SignalR push).
/// A listener must not throw; the forwarder logs and swallows when one does.
/// </summary>
public interface IHostListener<in TNotification>
    where TNotification : INotification
{
    ValueTask OnAsync(TNotification notification, CancellationToken cancellationToken);
}

/// <summary>The forwarding every module's notification handler for the host does.</summary>
public static class HostListeners
{
    /// <summary>Hands <paramref name="notification"/> to each listener in turn; one that throws is reported to <paramref name="failed"/> and the rest still hear it.</summary>
    public static async ValueTask TellAsync<TNotification>(IEnumerable<IHostListener<TNotification>> listeners, TNotification notification, Action<string, Exception> failed, CancellationToken cancellationToken)
        where TNotification : INotification
    {
        foreach (var listener in listeners)
        {
            try
            {
                await listener.OnAsync(notification, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failed(listener.GetType().Name, exception);
            }
        }
    }
}
