using FluentValidation;
using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Monitoring.Features;

internal sealed class RaiseAlertValidator : AbstractValidator<RaiseAlert>
{
    public RaiseAlertValidator()
    {
        RuleFor(a => a.Source).NotEmpty().MaximumLength(64);
        RuleFor(a => a.Code).NotEmpty().MaximumLength(AlertCodes.MaxLength);
        RuleFor(a => a.Message).NotEmpty();
        RuleFor(a => a.Severity).IsInEnum();
    }
}

internal sealed class RaiseAlertHandler(MonitoringDbContext db, TimeProvider time) : ICommandHandler<RaiseAlert>
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
}
