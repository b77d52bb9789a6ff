using FluentValidation;
using HuiHui.Modules.Ingestion.Archive;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Pipeline;
using Mediator;
using Npgsql;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class BackfillHistoryValidator : AbstractValidator<BackfillHistory>
{
    public BackfillHistoryValidator(ProviderRouter router)
    {
        RuleFor(c => c.Symbols).NotEmpty().WithMessage("name at least one symbol");
        RuleForEach(c => c.Symbols).NotEmpty().Matches(SymbolRules.Pattern).WithMessage(SymbolRules.Message);
        RuleFor(c => c.Days).InclusiveBetween(1, 3650).WithMessage("days must be between 1 and 3650");
        RuleFor(c => c.Source!).Must(router.IsKnown).When(c => c.Source is not null)
            .WithMessage("unknown source '{PropertyValue}'; known: " + string.Join(", ", router.KnownNames));
    }
}

/// <summary>
/// Daily history for each symbol from the first provider that has it, upserted into <c>market_data.underlying_ohlc</c>.
/// A symbol that fails does not stop the others; running it again stores nothing twice.
/// </summary>
internal sealed class BackfillHistoryHandler(ProviderRouter router, NpgsqlDataSource dataSource, TimeProvider time) : ICommandHandler<BackfillHistory, BackfillReport>
{
    public async ValueTask<BackfillReport> Handle(BackfillHistory command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var to = DateOnly.FromDateTime(now.UtcDateTime);
        var from = to.AddDays(-command.Days);
        var results = new List<BackfillSymbolResult>();
        foreach (var symbol in command.Symbols.Select(s => s.Trim().ToUpperInvariant()).Distinct())
        {
            var (bars, source, errors) = await router.FetchDailyBarsAsync(symbol, from, to, command.Source, cancellationToken);
            if (bars is null)
            {
                results.Add(new BackfillSymbolResult(symbol, null, 0, 0, 0, string.Join("; ", errors)));
                continue;
            }

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var (inserted, updated) = await MarketDataArchive.WriteBarsAsync(connection, bars, source!, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            results.Add(new BackfillSymbolResult(symbol, source, bars.Count, inserted, updated, null));
        }

        return new BackfillReport(results);
    }
}
