using System.Globalization;
using System.Text.Json;
using FluentValidation;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Experts.Orchestration;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetIdeaRecordValidator : AbstractValidator<GetIdeaRecord>
{
    public GetIdeaRecordValidator()
    {
        RuleFor(q => q.Symbol).MaximumLength(16);
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'To' must be after 'From'");
        RuleFor(q => q.Recent).InclusiveBetween(0, 1000);
    }
}

/// <summary>Open ideas, the most recent closed ones, and the scorecards over every idea closed in the range.</summary>
internal sealed class GetIdeaRecordHandler(ExpertsDbContext db) : IQueryHandler<GetIdeaRecord, IdeaRecord>
{
    public async ValueTask<IdeaRecord> Handle(GetIdeaRecord query, CancellationToken cancellationToken)
    {
        var symbol = string.IsNullOrWhiteSpace(query.Symbol) ? null : query.Symbol.Trim().ToUpperInvariant();
        var ideas = db.TradeIdeas.AsNoTracking().Where(i => symbol == null || i.Symbol == symbol);
        var open = await ideas.Where(i => i.ClosedAt == null).OrderByDescending(i => i.OpenedAt).Take(1000).ToListAsync(cancellationToken);
        var closed = await ideas.Where(i => i.ClosedAt >= query.From && i.ClosedAt < query.To).OrderByDescending(i => i.ClosedAt).ToListAsync(cancellationToken);
        return new IdeaRecord(
            open.ConvertAll(Stored),
            closed.Take(query.Recent).Select(Stored).ToList(),
            Score("all", closed),
            [.. closed.GroupBy(i => i.Strategy).Select(g => Score(g.Key, g)).OrderBy(s => s.Group, StringComparer.Ordinal)],
            [.. closed.GroupBy(i => i.Regime ?? "unknown").Select(g => Score(g.Key, g)).OrderBy(s => s.Group, StringComparer.Ordinal)],
            [.. closed.GroupBy(i => Bucket(i.Conviction)).Select(g => Score(g.Key, g)).OrderBy(s => s.Group, StringComparer.Ordinal)]);
    }

    /// <summary>Conviction in steps of 0.2: <c>0.2–0.4</c> and so on.</summary>
    public static string Bucket(double conviction)
    {
        var low = Math.Min(0.8, Math.Floor(conviction * 5) / 5);
        return string.Create(CultureInfo.InvariantCulture, $"{low:0.0}–{low + 0.2:0.0}");
    }

    private static IdeaScore Score(string group, IEnumerable<TradeIdeaRecord> ideas)
    {
        var list = ideas.ToList();
        var r = list.Where(i => i.R is not null).Select(i => i.R!.Value).ToList();
        return new IdeaScore(group, list.Count, list.Count == 0 ? 0 : (double)list.Count(i => i.Pnl > 0) / list.Count, r.Count == 0 ? null : Math.Round(r.Average(), 4),
            Math.Round(list.Sum(i => i.Pnl ?? 0), 2), Math.Round(list.Sum(i => i.PnlNatural ?? 0), 2));
    }

    private static StoredIdea Stored(TradeIdeaRecord i) =>
        new(i.Id, i.Symbol, i.OpenedAt, i.Regime, JsonSerializer.Deserialize(i.Idea, ExpertsJson.Default.TradeIdea)!, i.MarkedAt, i.ClosedAt, i.Outcome, i.ExitSpot, i.Pnl, i.PnlNatural, i.R);
}
