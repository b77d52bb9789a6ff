using FluentValidation;
using HuiHui.Modules.Ingestion.Archive;
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

internal sealed class GetWatchListHandler(IngestionState state, Microsoft.Extensions.Options.IOptions<IngestionOptions> options) : IQueryHandler<GetWatchList, WatchListSettings>
{
    public ValueTask<WatchListSettings> Handle(GetWatchList query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new WatchListSettings(state.Interval, state.WatchList, options.Value.Enabled));
}

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

internal sealed class GetIngestionStatusHandler(IngestionState state, SnapshotSpool spool, Microsoft.Extensions.Options.IOptions<IngestionOptions> options) : IQueryHandler<GetIngestionStatus, IngestionStatus>
{
    public ValueTask<IngestionStatus> Handle(GetIngestionStatus query, CancellationToken cancellationToken)
    {
        var (providers, symbols) = state.Snapshot();
        var (files, bytes) = spool.Size();
        return ValueTask.FromResult(new IngestionStatus(state.Interval, state.WatchList, providers, symbols, files, bytes, options.Value.Enabled, spool.Dropped));
    }
}
