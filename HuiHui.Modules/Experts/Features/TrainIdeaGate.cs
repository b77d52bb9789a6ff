using System.Text.Json;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Experts.Ideas;
using HuiHui.Modules.Experts.Orchestration;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Experts.Features;

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
