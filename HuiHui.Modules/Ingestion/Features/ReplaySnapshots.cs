using System.Runtime.CompilerServices;
using FluentValidation;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Data;
using HuiHui.Modules.Ingestion.Flow;
using HuiHui.Modules.Ingestion.Pipeline;
using HuiHui.Modules.Ingestion.Providers;
using HuiHui.Modules.Ingestion.Providers.Files;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Modules.Ingestion.Validation;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class ReplaySnapshotsValidator : AbstractValidator<ReplaySnapshots>
{
    public ReplaySnapshotsValidator()
    {
        RuleFor(q => q.Symbol).NotEmpty().Matches(SymbolRules.Pattern).WithMessage(SymbolRules.Message);
        RuleFor(q => q.Source).Must(s => s is ReplaySnapshots.Archive or ReplaySnapshots.Simulated || (s?.StartsWith(ProviderRouter.FilePrefix, StringComparison.OrdinalIgnoreCase) == true && s.Length > ProviderRouter.FilePrefix.Length))
            .WithMessage("'{PropertyValue}' is not a replay source: use file:PATH (a payload file or a folder), archive or simulated");
        RuleFor(q => q.Every).Must(e => e is null || (e.Value >= TimeSpan.FromMinutes(1) && e.Value <= TimeSpan.FromDays(1)))
            .WithMessage("the step between simulated snapshots must be between 1 minute and 1 day");
        RuleFor(q => q.To).Must((q, to) => q.From is null || to is null || q.From <= to).WithMessage("--from must not be after --to");
    }
}

/// <summary>
/// Replays a source snapshot by snapshot, in time order, through the same validation and flow derivation as the live
/// ingestion (a fresh <see cref="FlowTape"/>, so nothing from the live process leaks in). A snapshot is produced from the
/// payloads stamped at or before its time only: nothing at time t sees data after t.
/// </summary>
internal sealed partial class ReplaySnapshotsHandler(IngestionDbContext db, SimulatedMarket live, ILogger<ReplaySnapshotsHandler> logger) : IStreamQueryHandler<ReplaySnapshots, ReplayFrame>
{
    /// <summary>Minutes of 1-minute bars an archived snapshot carries, as the live providers do.</summary>
    private static readonly TimeSpan RecentBars = TimeSpan.FromMinutes(30);

    /// <summary>Calendar days of daily history a simulated frame carries (the most the metrics ask for).</summary>
    private const int SimulatedHistoryDays = 400;

    public async IAsyncEnumerable<ReplayFrame> Handle(ReplaySnapshots query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var symbol = query.Symbol.Trim().ToUpperInvariant();
        var tape = new FlowTape(FlowTape.DefaultWindow);
        var produced = 0;
        var source = query.Source switch
        {
            ReplaySnapshots.Archive => FromArchiveAsync(symbol, query.From, query.To, cancellationToken),
            ReplaySnapshots.Simulated => FromSimulator(symbol, query.From, query.To, query.Every ?? TimeSpan.FromMinutes(1)).ToAsyncEnumerable(),
            _ => FromFile(symbol, query.Source).Select(s => new ReplayFrame(s)).ToAsyncEnumerable(),
        };
        await foreach (var (raw, dailyBars) in source.WithCancellation(cancellationToken))
        {
            if ((query.From is { } from && raw.AsOf < from) || (query.To is { } to && raw.AsOf > to))
            {
                continue;
            }

            ChainSnapshot valid;
            try
            {
                valid = SnapshotValidator.Validate(raw);
            }
            catch (ProviderPayloadException error)
            {
                LogSkipped(logger, symbol, raw.AsOf, error.Message);
                continue;
            }

            var outcome = tape.Apply(valid);
            if (outcome.Snapshot is null)
            {
                LogSkipped(logger, symbol, raw.AsOf, outcome.Warning!);
                continue;
            }

            produced++;
            yield return new ReplayFrame(outcome.Snapshot, dailyBars);
        }

        if (produced == 0)
        {
            var range = query.From is null && query.To is null ? "" : $" between {query.From?.ToString("O") ?? "the start"} and {query.To?.ToString("O") ?? "the end"}";
            throw new ReplayUnavailableException($"no snapshot of {symbol} in {query.Source}{range}");
        }
    }

    /// <summary>
    /// A fresh copy of the built-in market (the live one's seed and start date, none of its state), walked minute by minute
    /// from its first minute and sampled every <paramref name="every"/>; each frame carries the sessions completed before its day.
    /// </summary>
    private IEnumerable<ReplayFrame> FromSimulator(string symbol, DateTimeOffset? from, DateTimeOffset? to, TimeSpan every)
    {
        var options = live.Options;
        var market = new SimulatedMarket(Options.Create(new SimulatorOptions
        {
            Seed = options.Seed, StartDate = live.StartDate, HistoryDays = options.HistoryDays, Acceleration = options.Acceleration,
            RiskFreeRate = options.RiskFreeRate, DividendYield = options.DividendYield, RecentMinutes = options.RecentMinutes,
        }), TimeProvider.System);
        var start = from is { } f ? market.MinuteAtOrAfter(f) : (long)(options.HistoryDays - 5) * TradingCalendar.MinutesPerDay;
        var end = to is { } t ? market.MinuteAtOrAfter(t.AddMinutes(1)) - 1 : (long)options.HistoryDays * TradingCalendar.MinutesPerDay - 1;
        if (start < 0)
        {
            throw new ReplayUnavailableException($"the simulated market of {symbol} starts on {market.FirstDay:yyyy-MM-dd} ({options.HistoryDays} trading days before its start date {market.StartDate:yyyy-MM-dd}): --from is before it");
        }

        var step = Math.Max(1, (long)Math.Round(every.TotalMinutes));
        IReadOnlyList<Bar> dailyBars = [];
        var barsDay = DateOnly.MinValue;
        for (var minute = start; minute <= end; minute += step)
        {
            var snapshot = market.Snapshot(symbol, minute);
            var day = DateOnly.FromDateTime(snapshot.AsOf.UtcDateTime);
            if (day != barsDay)
            {
                dailyBars = market.DailyBarsAt(symbol, minute, new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), SimulatedHistoryDays);
                barsDay = day;
            }

            yield return new ReplayFrame(snapshot, dailyBars);
        }
    }

    private static IReadOnlyList<ChainSnapshot> FromFile(string symbol, string source)
    {
        var path = Path.GetFullPath(source[ProviderRouter.FilePrefix.Length..]);
        try
        {
            return new FileReplayProvider(path).All(symbol);
        }
        catch (ProviderUnavailableException error)
        {
            throw new ReplayUnavailableException(error.Message);
        }
    }

    /// <summary>
    /// <c>market_data.options_chain</c> rows of the range in time order, one snapshot per <c>as_of</c>, with the underlying's
    /// archived price as its quote and the 1-minute bars of the 30 minutes up to it.
    /// </summary>
    private async IAsyncEnumerable<ReplayFrame> FromArchiveAsync(string symbol, DateTimeOffset? from, DateTimeOffset? to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var first = from ?? DateTimeOffset.MinValue.ToUniversalTime();
        var last = to ?? DateTimeOffset.MaxValue.ToUniversalTime();
        var minuteFrom = from is { } f ? f - RecentBars : first;
        var minutes = await db.UnderlyingBars.AsNoTracking()
            .Where(b => b.Symbol == symbol && b.Interval == Bar.Minute && b.Ts >= minuteFrom && b.Ts <= last)
            .OrderBy(b => b.Ts)
            .Select(b => new Bar(b.Symbol, b.Interval, b.Ts, b.Open, b.High, b.Low, b.Close, b.Volume))
            .ToListAsync(cancellationToken);
        var rows = db.OptionQuotes.AsNoTracking()
            .Where(q => q.Underlying == symbol && q.AsOf >= first && q.AsOf <= last)
            .OrderBy(q => q.AsOf).ThenBy(q => q.OccSymbol)
            .AsAsyncEnumerable();
        var contracts = new List<OptionContract>();
        DateTimeOffset? asOf = null;
        double spot = 0;
        string sourceName = ReplaySnapshots.Archive;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (asOf is { } current && row.AsOf != current)
            {
                yield return new ReplayFrame(Snapshot(symbol, current, spot, sourceName, contracts, minutes));
                contracts = [];
            }

            asOf = row.AsOf;
            spot = row.UnderlyingPrice;
            sourceName = row.Source;
            contracts.Add(new OptionContract(row.OccSymbol, row.Underlying, row.Expiry, row.Strike, row.Right == "C" ? OptionRight.Call : OptionRight.Put,
                row.Bid, row.Ask, row.Last, row.Volume, row.OpenInterest, row.ImpliedVol,
                row.Delta is null && row.Gamma is null && row.Theta is null && row.Vega is null ? null : new ProviderGreeks(row.Delta, row.Gamma, row.Theta, row.Vega, null),
                row.AsOf));
        }

        if (asOf is { } end)
        {
            yield return new ReplayFrame(Snapshot(symbol, end, spot, sourceName, contracts, minutes));
        }
    }

    private static ChainSnapshot Snapshot(string symbol, DateTimeOffset asOf, double spot, string source, List<OptionContract> contracts, List<Bar> minutes)
    {
        var bars = minutes.Where(b => b.Start <= asOf && b.Start > asOf - RecentBars).ToList();
        var quote = new UnderlyingQuote(symbol, spot, null, null, null, null, null, null, 0, asOf);
        return new ChainSnapshot(symbol, asOf, source, quote, contracts, [], bars, [], []);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replay of {Symbol}: snapshot at {AsOf} skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string symbol, DateTimeOffset asOf, string reason);
}
