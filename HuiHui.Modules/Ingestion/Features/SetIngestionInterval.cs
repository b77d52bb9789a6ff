using FluentValidation;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Pipeline;
using Mediator;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class SetIngestionIntervalValidator : AbstractValidator<SetIngestionInterval>
{
    public SetIngestionIntervalValidator()
    {
        RuleFor(c => c.Interval).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromHours(1))
            .WithMessage("interval must be between 1 second and 1 hour");
    }
}

internal sealed class SetIngestionIntervalHandler(IngestionState state) : ICommandHandler<SetIngestionInterval>
{
    public ValueTask<Unit> Handle(SetIngestionInterval command, CancellationToken cancellationToken)
    {
        state.SetInterval(command.Interval);
        return ValueTask.FromResult(Unit.Value);
    }
}
