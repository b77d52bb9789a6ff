using System.Diagnostics;
using System.Threading.Channels;
using FluentValidation;
using HuiHui.Modules.Experts.Backtest;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Ideas;
using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Experts.Features;

internal sealed class RunBacktestValidator : AbstractValidator<RunBacktest>
{
    public RunBacktestValidator()
    {
        RuleFor(q => q.Symbols).NotEmpty().WithMessage("name at least one symbol").Must(s => s.Count <= 50).WithMessage("at most 50 symbols in one backtest");
        RuleForEach(q => q.Symbols).Matches(@"^[A-Za-z0-9.^_\-]{1,10}$").WithMessage("'{PropertyValue}' is not a ticker symbol: 1-10 letters, digits or . ^ _ -");
        RuleFor(q => q.Source).Must(s => s is ReplaySnapshots.Archive or ReplaySnapshots.Simulated || (s?.StartsWith("file:", StringComparison.OrdinalIgnoreCase) == true && s.Length > 5))
            .WithMessage("'{PropertyValue}' is not a backtest source: use simulated, archive or file:PATH (a payload file or a folder)");
        RuleFor(q => q.To).Must((q, to) => q.From is null || to is null || q.From <= to).WithMessage("--from must not be after --to");
        RuleFor(q => q.Every).Must(e => e is null || (e.Value >= TimeSpan.FromMinutes(1) && e.Value <= TimeSpan.FromDays(1)))
            .WithMessage("--every must be between 1 minute and 1 day");
    }
}

/// <summary>
/// The backtest: each symbol's snapshots are read by one task and analysed by another (a small bounded channel between
/// them, so reading or simulating the next snapshot overlaps the analysis of this one), symbols concurrently. Each analysis
/// is the live pipeline in replay mode (<see cref="AnalysisRunner"/>) with the history it would have had at that time: the
/// source's daily bars, and the backtest's own daily ATM IV readings for IV rank (never the store's, which may hold readings
/// of another run). The learned outlook is left out: today's model may have been trained on what came after.
/// </summary>
internal sealed class RunBacktestHandler(AnalysisRunner runner, IServiceScopeFactory scopes) : IQueryHandler<RunBacktest, BacktestReport>
{
    public async ValueTask<BacktestReport> Handle(RunBacktest query, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var symbols = query.Symbols.Select(s => s.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var runs = await Task.WhenAll(symbols.Select(s => Task.Run(() => ReplayAsync(s, query, cancellationToken), cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;

        static List<BacktestIdea> Ordered(IEnumerable<BacktestIdea> ideas) => ideas.OrderBy(i => i.OpenedAt).ThenBy(i => i.Symbol, StringComparer.Ordinal).ToList();
        var ideas = Ordered(runs.SelectMany(r => r.Gated.Closed));
        var rules = Ordered(runs.SelectMany(r => r.Rules.Closed));
        var replayed = runs.Aggregate(TimeSpan.Zero, (sum, r) => sum + (r.Rules.Last!.Value - r.Rules.First!.Value));
        var snapshots = runs.Sum(r => r.Rules.Snapshots);
        return new BacktestReport(query.Source, symbols, runs.Min(r => r.Rules.First!.Value), runs.Max(r => r.Rules.Last!.Value), snapshots,
            Math.Round(elapsed, 3), elapsed > 0 ? Math.Round(snapshots / elapsed, 1) : 0,
            BacktestScore.Summarise(ideas, replayed),
            new Dictionary<string, BacktestSummary>(StringComparer.Ordinal)
            {
                ["rulesOnly"] = BacktestScore.Summarise(rules, replayed),
                ["alwaysLong"] = BacktestScore.Summarise(BacktestScore.AlwaysLong(ideas), replayed),
                ["random"] = BacktestScore.Summarise(BacktestScore.Random(ideas), replayed),
            },
            ideas,
            BacktestScore.Equity(ideas),
            [.. runs.Select(r => r.Gate).OfType<IdeaGateReport>()]);
    }

    /// <summary>
    /// Two books on the same analyses: every idea the rules propose (<c>rulesOnly</c>), and those the walk-forward gate lets
    /// through: learned again from the rules' ideas closed so far whenever one closes, and used only once validated on the
    /// newer part of them, as the nightly training does with the live record. Nothing it learns at t comes after t.
    /// </summary>
    private sealed record SymbolRun(IdeaBook Rules, IdeaBook Gated, IdeaGateReport? Gate);

    private async Task<SymbolRun> ReplayAsync(string symbol, RunBacktest query, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var frames = Channel.CreateBounded<ReplayFrame>(new BoundedChannelOptions(32) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(() => ReadAsync(symbol, query, frames.Writer, stop.Token), stop.Token);

        await using var scope = scopes.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var book = new IdeaBook(symbol);
        var gated = new IdeaBook(symbol);
        IdeaGateReport? learned = null;
        var learnedFrom = 0;
        var iv = new DailyReadings();
        try
        {
            await foreach (var (snapshot, dailyBars) in frames.Reader.ReadAllAsync(stop.Token))
            {
                if (snapshot.Contracts.Count == 0)
                {
                    continue; // nothing valid to analyse at this time; the replay goes on
                }

                var analysis = await runner.RunAsync(snapshot, mediator, 0, stop.Token, AnalysisMode.Replay,
                    replay: new ReplayContext(dailyBars, iv.Before(snapshot.AsOf), Outlook: false));
                iv.Add(analysis.Regime?.Evidence.AtmIv);
                var regime = AnalysisRunner.RegimeName(analysis.Regime);
                var idea = analysis.Meta.Idea;
                book.Step(snapshot, idea, regime);
                if (book.Closed.Count != learnedFrom)
                {
                    learnedFrom = book.Closed.Count;
                    learned = IdeaGates.Validate([.. book.Closed.OrderBy(i => i.OpenedAt).Where(i => i.R is not null)
                        .Select(i => new IdeaOutcome(i.Symbol, i.OpenedAt, i.Strategy, i.Regime, i.Conviction, i.R!.Value))], snapshot.AsOf);
                }

                var refused = idea is not null && learned is { Promoted: true } && learned.Gate.Refusing(idea.Strategy, regime, idea.Conviction) is not null;
                gated.Step(snapshot, refused ? null : idea, regime);
                if (book.Snapshots % 100 == 0)
                {
                    query.Progress?.Report(new BacktestProgress(symbol, book.Snapshots, snapshot.AsOf, false));
                }
            }
        }
        finally
        {
            await stop.CancelAsync(); // the reader stops when the analysis does
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await reader; // the reader's own failure (no such source, nothing in the range) is the backtest's
        if (book.Last is null)
        {
            throw new ReplayUnavailableException($"no snapshot of {symbol} in {query.Source} has a valid option contract to analyse");
        }

        book.End();
        gated.End();
        query.Progress?.Report(new BacktestProgress(symbol, book.Snapshots, book.Last.Value, true));
        return new SymbolRun(book, gated, learned);
    }

    private async Task ReadAsync(string symbol, RunBacktest query, ChannelWriter<ReplayFrame> frames, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            await foreach (var frame in mediator.CreateStream(new ReplaySnapshots(symbol, query.Source, query.From, query.To, query.Every), cancellationToken))
            {
                await frames.WriteAsync(frame, cancellationToken);
            }

            frames.Complete();
        }
        catch (Exception error)
        {
            frames.Complete(error);
            throw;
        }
    }

    /// <summary>The last ATM IV reading of each day, as the live system keeps them in its stored regime responses.</summary>
    private sealed class DailyReadings
    {
        private readonly List<double> closed = [];
        private DateOnly day;
        private double? last;

        /// <summary>The readings of the days before <paramref name="asOf"/>'s day (IV rank's history), oldest first.</summary>
        public List<double> Before(DateTimeOffset asOf)
        {
            var today = DateOnly.FromDateTime(asOf.UtcDateTime);
            if (today != day && last is { } previous)
            {
                closed.Add(previous);
                last = null;
            }

            day = today;
            return closed;
        }

        public void Add(double? atmIv) => last = atmIv ?? last;
    }
}
