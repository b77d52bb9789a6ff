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
/// The life of the ideas, on every live analysis of a symbol: each open idea is marked to market from its legs' quotes
/// (mid, and the natural side: bought legs sold at the bid, sold legs bought back at the ask) and closed at its stop, its
/// first target, its expiry, or when a different strategy is proposed (<c>opposite</c> when it points the other way, else
/// <c>replaced</c>); a new idea is stored when first proposed, not again while the strategy is unchanged (strikes drifting
/// with spot between snapshots do not make a new idea). One open idea per symbol. A leg with no quote is valued at its intrinsic value. A failure (PostgreSQL down) is logged and the next
/// cycle tries again; the analysis never waits on it.
/// </summary>
internal sealed partial class IdeaTracker(IServiceScopeFactory scopes, NpgsqlDataSource dataSource, ILogger<IdeaTracker> logger)
{
    public async Task TrackAsync(ChainSnapshot snapshot, MetaResponse meta, RegimeResponse? regime, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ExpertsDbContext>();
            var open = await db.TradeIdeas.Where(i => i.Symbol == snapshot.Symbol && i.ClosedAt == null).ToListAsync(cancellationToken);
            var proposed = meta.Idea;
            var keep = false;
            foreach (var record in open)
            {
                var idea = JsonSerializer.Deserialize(record.Idea, ExpertsJson.Default.TradeIdea)!;
                if (snapshot.AsOf <= record.OpenedAt)
                {
                    keep |= proposed is not null && proposed.Strategy == idea.Strategy;
                    continue; // nothing after the idea's own snapshot yet
                }

                var (pnl, pnlNatural) = Mark(idea, snapshot);
                record.MarkedAt = snapshot.AsOf;
                record.Pnl = pnl;
                record.PnlNatural = pnlNatural;
                record.R = idea.MaxLoss is > 0 ? Math.Round(pnl / idea.MaxLoss.Value, 4) : null;
                var outcome = Outcome(idea, snapshot);
                if (outcome is null && proposed is not null && proposed.Strategy != idea.Strategy)
                {
                    outcome = TradeIdeas.DirectionOf(proposed.Strategy) * TradeIdeas.DirectionOf(idea.Strategy) < 0 ? "opposite" : "replaced";
                }

                if (outcome is null)
                {
                    keep |= proposed is not null;
                    continue;
                }

                record.ClosedAt = snapshot.AsOf;
                record.Outcome = outcome;
                record.ExitSpot = snapshot.Spot;
            }

            if (proposed is not null && !keep)
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
                    Regime = regime is null ? null : regime.Name ?? regime.Regime.ToString(),
                    Idea = JsonSerializer.Serialize(proposed, ExpertsJson.Default.TradeIdea),
                });
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogFailed(logger, snapshot.Symbol, error.GetBaseException().Message);
        }
    }

    /// <summary>P&amp;L per unit since the idea was proposed, at the mid and at the natural side.</summary>
    public static (double Mid, double Natural) Mark(TradeIdea idea, ChainSnapshot snapshot)
    {
        double mid = 0, natural = 0;
        foreach (var leg in idea.Legs)
        {
            var sign = leg.Side == LegSide.Buy ? 1 : -1;
            var quote = snapshot.Contracts.FirstOrDefault(c => c.OccSymbol == leg.OccSymbol);
            var intrinsic = Math.Max(0, leg.Right == OptionRight.Call ? snapshot.Spot - leg.Strike : leg.Strike - snapshot.Spot);
            var legMid = quote?.Mid ?? intrinsic;
            var exit = leg.Side == LegSide.Buy ? quote?.Bid ?? intrinsic : quote?.Ask ?? intrinsic;
            mid += sign * leg.Quantity * legMid;
            natural += sign * leg.Quantity * exit;
        }

        return (Math.Round((mid - idea.Entry.Mid) * TradeIdeas.Multiplier, 2), Math.Round((natural - idea.Entry.Natural) * TradeIdeas.Multiplier, 2));
    }

    /// <summary>Expiry first, then the stop, then the first target on either side of the entry spot; null while none is hit.</summary>
    public static string? Outcome(TradeIdea idea, ChainSnapshot snapshot)
    {
        var spot = snapshot.Spot;
        if (snapshot.AsOf >= idea.ExpiresAt)
        {
            return "expiry";
        }

        if ((idea.StopBelow is { } below && spot <= below) || (idea.StopAbove is { } above && spot >= above))
        {
            return "stop";
        }

        var up = idea.Targets.Where(t => t > idea.Entry.Spot).DefaultIfEmpty(double.NaN).Min();
        var down = idea.Targets.Where(t => t < idea.Entry.Spot).DefaultIfEmpty(double.NaN).Max();
        return (!double.IsNaN(up) && spot >= up) || (!double.IsNaN(down) && spot <= down) ? "target" : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not follow the trade ideas of {Symbol}, will try again next cycle: {Reason}")]
    private static partial void LogFailed(ILogger logger, string symbol, string reason);
}
