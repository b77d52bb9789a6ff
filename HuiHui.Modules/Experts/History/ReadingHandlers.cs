using FluentValidation;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Experts.History;

internal sealed class GetLatestAnalysisValidator : AbstractValidator<GetLatestAnalysis>
{
    public GetLatestAnalysisValidator() => RuleFor(q => q.Symbol).NotEmpty().MaximumLength(16);
}

internal sealed class GetLatestAnalysisHandler(IEnhancedCache cache) : IQueryHandler<GetLatestAnalysis, LatestAnalysis?>
{
    public async ValueTask<LatestAnalysis?> Handle(GetLatestAnalysis query, CancellationToken cancellationToken)
    {
        var cached = await cache.TryGetAsync(ExpertKeys.Analysis(query.Symbol), cancellationToken);
        return cached is { } value ? new LatestAnalysis(value.Value, value.IsStale, value.StoredAt) : null;
    }
}

internal sealed class GetExpertHistoryValidator : AbstractValidator<GetExpertHistory>
{
    public GetExpertHistoryValidator()
    {
        RuleFor(q => q.Symbol).MaximumLength(16);
        RuleFor(q => q.Expert).Must(e => e is null || ExpertIds.All.Contains(e)).WithMessage($"must be one of {string.Join(", ", ExpertIds.All)}");
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'To' must be after 'From'");
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).InclusiveBetween(1, 10_000);
    }
}

/// <summary>
/// Newest first over <c>(symbol, created_at)</c> / <c>(expert_id, created_at)</c> indexes; the one-line call is read
/// out of the stored jsonb so the page never deserialises whole responses it does not show.
/// </summary>
internal sealed class GetExpertHistoryHandler(ExpertsDbContext db) : IQueryHandler<GetExpertHistory, ExpertHistoryPage>
{
    public async ValueTask<ExpertHistoryPage> Handle(GetExpertHistory query, CancellationToken cancellationToken)
    {
        var symbol = string.IsNullOrWhiteSpace(query.Symbol) ? null : query.Symbol.Trim().ToUpperInvariant();
        var expert = string.IsNullOrWhiteSpace(query.Expert) ? null : query.Expert;
        var filtered = db.ExpertResponses.AsNoTracking()
            .Where(r => r.AsOf >= query.From && r.AsOf < query.To)
            .Where(r => symbol == null || r.Symbol == symbol)
            .Where(r => expert == null || r.ExpertId == expert);
        var total = await filtered.LongCountAsync(cancellationToken);
        var offset = (query.Page - 1) * query.PageSize;
        var rows = await db.Database.SqlQuery<HistoryRow>(
            $"""
            SELECT cycle_id, expert_id AS expert, symbol, as_of, confidence, details::text AS details,
                   CASE expert_id
                       WHEN 'regime' THEN (details->>'regime') || ' · gamma ' || (details->>'dealerGamma')
                       WHEN 'meta' THEN (details->>'bias') || ' · ' || (details->>'strategy')
                       ELSE (details->>'bias') || ' · score ' || to_char((details->>'score')::float8, 'FM990.00')
                   END AS call
            FROM moe_analysis.expert_responses
            WHERE as_of >= {query.From} AND as_of < {query.To}
              AND ({symbol}::text IS NULL OR symbol = {symbol})
              AND ({expert}::text IS NULL OR expert_id = {expert})
            ORDER BY as_of DESC, expert_id
            OFFSET {offset} LIMIT {query.PageSize}
            """).ToListAsync(cancellationToken);
        return new ExpertHistoryPage(
            rows.ConvertAll(r => new ExpertHistoryRow(r.CycleId, r.Expert, r.Symbol, r.AsOf, r.Confidence, r.Call ?? "", r.Details)),
            total,
            query.Page,
            query.PageSize);
    }

    private sealed record HistoryRow(Guid CycleId, string Expert, string Symbol, DateTimeOffset AsOf, double Confidence, string? Call, string Details);
}
