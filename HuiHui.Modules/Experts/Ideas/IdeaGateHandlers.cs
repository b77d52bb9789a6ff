using System.Text.Json;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Experts.Orchestration;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Experts.Ideas;

/// <summary>
/// Learns the gate from every closed live idea with an R (oldest first), validates it on the newest 30 %, stores it, and
/// when it is better there makes it the active gate (the previous active one retired) in one transaction.
/// </summary>
internal sealed class TrainIdeaGateHandler(ExpertsDbContext db, IdeaGateHost host, TimeProvider time) : ICommandHandler<TrainIdeaGate, IdeaGateReport>
{
    public async ValueTask<IdeaGateReport> Handle(TrainIdeaGate command, CancellationToken cancellationToken)
    {
        var ideas = await db.TradeIdeas.AsNoTracking().Where(i => i.ClosedAt != null && i.R != null).OrderBy(i => i.OpenedAt).ThenBy(i => i.Id)
            .Select(i => new IdeaOutcome(i.Symbol, i.OpenedAt, i.Strategy, i.Regime, i.Conviction, i.R!.Value))
            .ToListAsync(cancellationToken);
        var report = IdeaGates.Validate(ideas, time.GetUtcNow()) with { Id = Guid.CreateVersion7() };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (report.Promoted)
        {
            await db.IdeaGates.Where(g => g.Status == IdeaGateHost.Active).ExecuteUpdateAsync(set => set.SetProperty(g => g.Status, "retired"), cancellationToken);
        }

        db.IdeaGates.Add(new IdeaGateRecord { Id = report.Id, TrainedAt = report.TrainedAt, Status = report.Status, Report = JsonSerializer.Serialize(report, ExpertsJson.Default.IdeaGateReport) });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        host.Forget();
        return report;
    }
}

internal sealed class GetIdeaGatesHandler(ExpertsDbContext db) : IQueryHandler<GetIdeaGates, IReadOnlyList<IdeaGateReport>>
{
    public async ValueTask<IReadOnlyList<IdeaGateReport>> Handle(GetIdeaGates query, CancellationToken cancellationToken)
    {
        var rows = await db.IdeaGates.AsNoTracking().OrderByDescending(g => g.TrainedAt).Take(Math.Clamp(query.Count, 1, 100)).ToListAsync(cancellationToken);
        return rows.ConvertAll(IdeaGateHost.Read);
    }
}

/// <summary>
/// The active gate for the live analysis, read at most every 30 seconds (a gate promoted by another process is in use
/// within that). When PostgreSQL cannot be read the gate in hand stays, and with none the rules alone decide.
/// </summary>
internal sealed partial class IdeaGateHost(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdeaGateHost> logger)
{
    public const string Active = "active";

    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(30);

    private IdeaGate? current;
    private DateTimeOffset nextCheck = DateTimeOffset.MinValue;

    public async ValueTask<IdeaGate?> CurrentAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() < nextCheck)
        {
            return current;
        }

        nextCheck = time.GetUtcNow() + CheckEvery;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ExpertsDbContext>();
            var record = await db.IdeaGates.AsNoTracking().Where(g => g.Status == Active).OrderByDescending(g => g.TrainedAt).FirstOrDefaultAsync(cancellationToken);
            current = record is null ? null : Read(record).Gate;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogUnreadable(logger, error.GetBaseException().Message);
        }

        return current;
    }

    /// <summary>Read again on the next analysis (a gate was just trained).</summary>
    public void Forget() => nextCheck = DateTimeOffset.MinValue;

    public static IdeaGateReport Read(IdeaGateRecord record) =>
        JsonSerializer.Deserialize(record.Report, ExpertsJson.Default.IdeaGateReport)! with { Id = record.Id, Status = record.Status };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the active idea gate, keeping the one in hand: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string reason);
}
