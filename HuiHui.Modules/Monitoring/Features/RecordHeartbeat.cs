using FluentValidation;
using HuiHui.Modules.Shared.Contracts;
using Mediator;

namespace HuiHui.Modules.Monitoring.Features;

internal sealed class RecordHeartbeatValidator : AbstractValidator<RecordHeartbeat>
{
    public RecordHeartbeatValidator()
    {
        RuleFor(h => h.Component).NotEmpty().MaximumLength(64);
        RuleFor(h => h.Status).NotEmpty().MaximumLength(16);
    }
}

internal sealed class RecordHeartbeatHandler(HeartbeatRegistry registry, TimeProvider time) : ICommandHandler<RecordHeartbeat>
{
    public ValueTask<Unit> Handle(RecordHeartbeat command, CancellationToken cancellationToken)
    {
        registry.Beat(command.Component, time.GetUtcNow(), command.Status, command.Detail);
        return ValueTask.FromResult(Unit.Value);
    }
}
