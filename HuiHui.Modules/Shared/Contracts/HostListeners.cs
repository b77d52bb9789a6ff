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
