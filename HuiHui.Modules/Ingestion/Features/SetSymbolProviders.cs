using FluentValidation;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Pipeline;
using Mediator;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class SetSymbolProvidersValidator : AbstractValidator<SetSymbolProviders>
{
    public SetSymbolProvidersValidator(ProviderRouter router)
    {
        RuleFor(c => c.Symbol).NotEmpty().Matches(SymbolRules.Pattern).WithMessage(SymbolRules.Message);
        RuleForEach(c => c.Providers).Must(router.IsKnown).WithMessage("unknown provider '{PropertyValue}'; known: " + string.Join(", ", router.KnownNames));
    }
}

internal sealed class SetSymbolProvidersHandler(IngestionState state) : ICommandHandler<SetSymbolProviders>
{
    public ValueTask<Unit> Handle(SetSymbolProviders command, CancellationToken cancellationToken)
    {
        state.SetProviders(command.Symbol.Trim().ToUpperInvariant(), command.Providers);
        return ValueTask.FromResult(Unit.Value);
    }
}
