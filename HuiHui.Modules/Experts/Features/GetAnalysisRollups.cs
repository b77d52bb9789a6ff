using System.Text.Json;
using FluentValidation;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Shared.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetAnalysisRollupsValidator : AbstractValidator<GetAnalysisRollups>
{
    public GetAnalysisRollupsValidator()
    {
        RuleFor(q => q.Symbol).NotEmpty().MaximumLength(16);
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'To' must be after 'From'");
        RuleFor(q => q).Must(q => q.To - q.From <= TimeSpan.FromDays(400)).WithName("To").WithMessage("at most 400 days at a time");
    }
}

internal sealed class GetAnalysisRollupsHandler(ExpertsDbContext db) : IQueryHandler<GetAnalysisRollups, IReadOnlyList<AnalysisHour>>
{
    public async ValueTask<IReadOnlyList<AnalysisHour>> Handle(GetAnalysisRollups query, CancellationToken cancellationToken)
    {
        var symbol = query.Symbol.Trim().ToUpperInvariant();
        var from = UtcTime.HourOf(query.From);
        var rows = await db.AnalysisHours.AsNoTracking().Where(h => h.Symbol == symbol && h.Hour >= from && h.Hour < query.To).OrderBy(h => h.Hour).ToListAsync(cancellationToken);
        return rows.ConvertAll(h =>
        {
            var regimes = JsonSerializer.Deserialize<Dictionary<string, long>>(h.Regimes) ?? [];
            var answered = regimes.Values.Sum();
            var share = regimes.ToDictionary(r => r.Key, r => answered == 0 ? 0 : (double)r.Value / answered, StringComparer.Ordinal);
            var cycles = Math.Max(1, h.Cycles);
            return new AnalysisHour(h.Hour, h.Cycles, (double)h.Bullish / cycles, (double)h.Bearish / cycles, h.MeanConviction, share, h.MeanGex, h.MeanFlipDistance);
        });
    }
}
