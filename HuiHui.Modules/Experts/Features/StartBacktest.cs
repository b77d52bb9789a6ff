using FluentValidation;
using Hangfire;
using HuiHui.Modules.Experts.Backtest;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HuiHui.Modules.Experts.Features;

internal sealed class StartBacktestValidator : AbstractValidator<StartBacktest>
{
    public StartBacktestValidator()
    {
        RuleFor(c => c.Request).NotNull().SetValidator(new RunBacktestValidator());
        RuleFor(c => c.Request.Progress).Null().WithMessage("a queued backtest reports its progress in its row, not to a callback");
        RuleFor(c => c.RequestedBy).NotEmpty().MaximumLength(256);
        RuleFor(c => string.Join(",", c.Request.Symbols)).MaximumLength(600).OverridePropertyName("Symbols").WithMessage("too many symbols for one backtest");
        RuleFor(c => c.Request.Source).MaximumLength(1024).OverridePropertyName("Source");
    }
}

/// <summary>
/// Queues a backtest: a row in <c>moe_analysis.backtests</c>, then a Hangfire job (<see cref="BacktestJobs"/>). A row still
/// queued or running without progress for <see cref="BacktestJobs.Stale"/> (its process died) is marked failed first; a live
/// one refuses the new request, by a unique index on the active rows, so two admins cannot both start one.
/// </summary>
/// <remarks>
/// Hangfire's client exists only in the hub (the CLI and the test module host have no job storage): it is asked for when
/// needed, and its absence is a clear refusal rather than a host that cannot start.
/// </remarks>
internal sealed class StartBacktestHandler(ExpertsDbContext db, IServiceProvider services, TimeProvider time) : ICommandHandler<StartBacktest, BacktestRun>
{
    public async ValueTask<BacktestRun> Handle(StartBacktest command, CancellationToken cancellationToken)
    {
        var jobs = services.GetService<IBackgroundJobClient>()
            ?? throw new BacktestUnavailableException("backtests are queued as jobs by the hub; here, run `huihui backtest` instead");
        var now = time.GetUtcNow();
        await db.Backtests.Where(r => (r.Status == BacktestJobs.Queued || r.Status == BacktestJobs.Running) && r.UpdatedAt < now - BacktestJobs.Stale)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, BacktestJobs.Failed).SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Error, "interrupted: no progress for ten minutes (the process running it stopped)"), cancellationToken);

        var request = command.Request;
        var record = new BacktestRunRecord
        {
            Id = Guid.CreateVersion7(),
            RequestedBy = command.RequestedBy,
            Symbols = string.Join(",", request.Symbols.Select(s => s.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal)),
            Source = request.Source,
            From = request.From,
            To = request.To,
            EveryMinutes = request.Every is { } every ? (int)every.TotalMinutes : null,
            Status = BacktestJobs.Queued,
            RequestedAt = now,
            UpdatedAt = now,
        };
        db.Backtests.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException error) when (error.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            var active = await db.Backtests.AsNoTracking().Where(r => r.Status == BacktestJobs.Queued || r.Status == BacktestJobs.Running).FirstOrDefaultAsync(cancellationToken);
            throw new BacktestBusyException(active is null
                ? "a backtest is already running; try again when it is done"
                : $"a backtest is already {active.Status}: {active.Symbols} from {active.Source}, started by {active.RequestedBy} at {active.RequestedAt:yyyy-MM-dd HH:mm} UTC ({active.Snapshots} snapshots so far); try again when it is done");
        }

        jobs.Enqueue<BacktestJobs>(j => j.RunAsync(record.Id, CancellationToken.None));
        return BacktestJobs.ToRun(record, withReport: false);
    }
}
