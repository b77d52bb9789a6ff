using System.Text.Json;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Experts.Meta;
using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HuiHui.Modules.Experts.Ideas;

/// <summary>
/// The life of the ideas, on every live analysis of a symbol, by the rules of <see cref="IdeaLife"/>: open ideas are read
/// from <c>moe_analysis.trade_ideas</c>, marked and closed; a new idea is stored when first proposed. One open idea per
/// symbol. A failure (PostgreSQL down) is logged and the next cycle tries again; the analysis never waits on it.
/// </summary>
internal sealed partial class IdeaTracker(IServiceScopeFactory scopes, NpgsqlDataSource dataSource, ILogger<IdeaTracker> logger)
{
    /// <summary>Marks, closes and opens; returns the ideas closed on this snapshot (none when the database failed).</summary>
    public async Task<IReadOnlyList<Alerts.ClosedIdea>> TrackAsync(ChainSnapshot snapshot, MetaResponse meta, RegimeResponse? regime, CancellationToken cancellationToken)
    {
        var closed = new List<Alerts.ClosedIdea>();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ExpertsDbContext>();
            var open = await db.TradeIdeas.Where(i => i.Symbol == snapshot.Symbol && i.ClosedAt == null).ToListAsync(cancellationToken);
            var proposed = meta.Idea;
            var (marks, opens) = IdeaLife.Step(open.ConvertAll(r => new OpenIdea(JsonSerializer.Deserialize(r.Idea, ExpertsJson.Default.TradeIdea)!, r.OpenedAt)), snapshot, proposed);
            for (var i = 0; i < open.Count; i++)
            {
                if (marks[i] is not { } mark)
                {
                    continue;
                }

                var record = open[i];
                record.MarkedAt = snapshot.AsOf;
                record.Pnl = mark.Pnl;
                record.PnlNatural = mark.PnlNatural;
                record.R = mark.R;
                if (mark.Outcome is not null)
                {
                    record.ClosedAt = snapshot.AsOf;
                    record.Outcome = mark.Outcome;
                    record.ExitSpot = snapshot.Spot;
                    closed.Add(new Alerts.ClosedIdea(record.Strategy, mark.Outcome, snapshot.Spot));
                }
            }

            if (proposed is not null && opens)
            {
                var now = snapshot.AsOf;
                await DailyPartitions.EnsureAsync(dataSource, ExpertsDbContext.Ideas, [now], cancellationToken);

                db.TradeIdeas.Add(new TradeIdeaRecord
                {
                    Id = Guid.CreateVersion7(),
                    Symbol = snapshot.Symbol,
                    OpenedAt = now,
                    Strategy = proposed.Strategy,
                    Conviction = proposed.Conviction,
                    Regime = AnalysisRunner.RegimeName(regime),
                    Idea = JsonSerializer.Serialize(proposed, ExpertsJson.Default.TradeIdea),
                });
            }

            await db.SaveChangesAsync(cancellationToken);
            return closed;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogFailed(logger, snapshot.Symbol, error.GetBaseException().Message);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not follow the trade ideas of {Symbol}, will try again next cycle: {Reason}")]
    private static partial void LogFailed(ILogger logger, string symbol, string reason);
}
