using FluentValidation;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Pipeline;
using Mediator;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class SetWatchListValidator : AbstractValidator<SetWatchList>
{
    public SetWatchListValidator()
    {
        RuleFor(c => c.Symbols).NotNull().Must(s => s.Count <= 50).WithMessage("at most 50 symbols");
        RuleForEach(c => c.Symbols).NotEmpty().Matches(SymbolRules.Pattern).WithMessage(SymbolRules.Message);
    }
}

internal sealed class SetWatchListHandler(IngestionState state) : ICommandHandler<SetWatchList>
{
    public ValueTask<Unit> Handle(SetWatchList command, CancellationToken cancellationToken)
    {
        state.SetWatchList(command.Symbols);
        return ValueTask.FromResult(Unit.Value);
    }
}
