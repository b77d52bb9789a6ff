using FluentValidation;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Monitoring.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Monitoring.Features;

internal sealed class RaiseAlertValidator : AbstractValidator<RaiseAlert>
{
    public RaiseAlertValidator()
    {
        RuleFor(a => a.Source).NotEmpty().MaximumLength(64);
        RuleFor(a => a.Code).NotEmpty().MaximumLength(64);
        RuleFor(a => a.Message).NotEmpty();
        RuleFor(a => a.Severity).IsInEnum();
    }
}

internal sealed class AlertHandlers(MonitoringDbContext db, TimeProvider time) : ICommandHandler<RaiseAlert>, ICommandHandler<ResolveAlert>
{
    public async ValueTask<Unit> Handle(RaiseAlert command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // One statement, so concurrent raisers of the same alert cannot create two open rows.
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO system_health.alerts (severity, source, code, message, first_seen, last_seen, count)
            VALUES ({command.Severity.ToString()}, {command.Source}, {command.Code}, {command.Message}, {now}, {now}, 1)
            ON CONFLICT (source, code) WHERE resolved_at IS NULL
            DO UPDATE SET count = alerts.count + 1, last_seen = EXCLUDED.last_seen, message = EXCLUDED.message, severity = EXCLUDED.severity
            """,
            cancellationToken);
        return Unit.Value;
    }

    public async ValueTask<Unit> Handle(ResolveAlert command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.Alerts
            .Where(a => a.Source == command.Source && a.Code == command.Code && a.ResolvedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.ResolvedAt, now), cancellationToken);
        return Unit.Value;
    }
}
