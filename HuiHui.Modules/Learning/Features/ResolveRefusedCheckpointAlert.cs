using HuiHui.Modules.Learning.Contracts;
using Mediator;

namespace HuiHui.Modules.Learning.Features;

/// <summary>A usable model is active again: the alert about a refused checkpoint of that kind is over.</summary>
internal sealed class ResolveRefusedCheckpointAlert(IMediator mediator) : INotificationHandler<CheckpointActivated>
{
    public async ValueTask Handle(CheckpointActivated notification, CancellationToken cancellationToken) =>
        await mediator.Send(new HuiHui.Modules.Shared.Contracts.ResolveAlert("learning", $"checkpoint-refused:{notification.Kind}"), cancellationToken);
}
