using FluentValidation;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Monitoring.Features;

internal sealed class GetHourlyRollupsValidator : AbstractValidator<GetHourlyRollups>
{
    public GetHourlyRollupsValidator()
    {
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'To' must be after 'From'");
        RuleFor(q => q).Must(q => q.To - q.From <= TimeSpan.FromDays(31)).WithName("To").WithMessage("at most 31 days at a time");
    }
}

/// <summary>Reads the stored rollups: a few rows per hour, whatever the raw tables hold.</summary>
internal sealed class GetHourlyRollupsHandler(MonitoringDbContext db) : IQueryHandler<GetHourlyRollups, HourlyRollups>
{
    public async ValueTask<HourlyRollups> Handle(GetHourlyRollups query, CancellationToken cancellationToken)
    {
        var from = UtcTime.HourOf(query.From);
        var stages = await db.StageHours.AsNoTracking().Where(h => h.Hour >= from && h.Hour < query.To).OrderBy(h => h.Hour).ThenBy(h => h.Stage)
            .Select(h => new StageHour(h.Hour, h.Stage, h.Count, h.P50, h.P95, h.P99, h.Max)).ToListAsync(cancellationToken);
        var usage = await db.UsageHours.AsNoTracking().Where(h => h.Hour >= from && h.Hour < query.To).OrderBy(h => h.Hour).ThenBy(h => h.Kind).ThenBy(h => h.Name)
            .Select(h => new UsageHour(h.Hour, h.Kind, h.Name, h.Calls, h.Failures, h.PromptTokens, h.CompletionTokens, h.MeanLatencyMs)).ToListAsync(cancellationToken);
        return new HourlyRollups(stages, usage);
    }
}
