using FluentValidation;
using HuiHui.Modules.Ingestion.Archive;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class ArchiveSimulatedMinutesValidator : AbstractValidator<ArchiveSimulatedMinutes>
{
    public ArchiveSimulatedMinutesValidator()
    {
        RuleFor(c => c.Symbol).NotEmpty().Matches(SymbolRules.Pattern).WithMessage(SymbolRules.Message);
        RuleFor(c => c.To).GreaterThanOrEqualTo(c => c.From).WithMessage("'To' must not be before 'From'");
        RuleFor(c => c.To - c.From).LessThanOrEqualTo(TimeSpan.FromDays(31)).WithMessage("at most 31 days of simulated minutes at a time");
    }
}

/// <summary>Walks a fresh copy of the simulated market minute by minute over the range and writes its bars (COPY, upsert).</summary>
internal sealed class ArchiveSimulatedMinutesHandler(SimulatedMarket live, NpgsqlDataSource dataSource, TimeProvider time) : ICommandHandler<ArchiveSimulatedMinutes, int>
{
    public async ValueTask<int> Handle(ArchiveSimulatedMinutes command, CancellationToken cancellationToken)
    {
        var options = live.Options;
        var market = new SimulatedMarket(Options.Create(new SimulatorOptions
        {
            Seed = options.Seed, StartDate = live.StartDate, HistoryDays = options.HistoryDays, Acceleration = options.Acceleration,
            RiskFreeRate = options.RiskFreeRate, DividendYield = options.DividendYield, RecentMinutes = options.RecentMinutes,
        }), TimeProvider.System);
        var symbol = command.Symbol.Trim().ToUpperInvariant();
        var first = Math.Max(0, market.MinuteAtOrAfter(command.From.AddSeconds(59)));
        var last = Math.Min(market.MinuteAtOrAfter(command.To.AddMinutes(1)) - 1, (long)options.HistoryDays * TradingCalendar.MinutesPerDay + TradingCalendar.MinutesPerDay - 1);
        var path = market.Path(symbol);
        var bars = new List<Bar>();
        for (var minute = first; minute <= last; minute++)
        {
            path.AdvanceTo(minute);
            var at = path.StateAt(minute);
            bars.Add(new Bar(symbol, Bar.Minute, market.TimeOf(minute), Math.Round(at.Open, 2), Math.Round(at.High, 2), Math.Round(at.Low, 2), Math.Round(at.Spot, 2), at.Volume));
        }

        if (bars.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (inserted, _) = await MarketDataArchive.WriteBarsAsync(connection, bars, SimulatedChain.Source, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }
}
