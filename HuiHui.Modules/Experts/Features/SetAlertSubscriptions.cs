using FluentValidation;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Experts.Features;

internal sealed class SetAlertSubscriptionsValidator : AbstractValidator<SetAlertSubscriptions>
{
    public SetAlertSubscriptionsValidator()
    {
        RuleFor(c => c.UserId).NotEmpty().MaximumLength(64);
        RuleFor(c => c.Symbol).NotEmpty().MaximumLength(16)
            .Must(s => s == "*" || s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '^')).WithMessage("symbol must be letters, digits, '.', '-', '^' or '*'");
        RuleForEach(c => c.Kinds).Must(MarketAlertKinds.IsKnown)
            .WithMessage((_, kind) => $"'{kind}' is not an alert kind ({string.Join(", ", MarketAlertKinds.All.Select(k => k.Kind))})");
    }
}

internal sealed class SetAlertSubscriptionsHandler(ExpertsDbContext db) : ICommandHandler<SetAlertSubscriptions>
{
    public async ValueTask<Unit> Handle(SetAlertSubscriptions command, CancellationToken cancellationToken)
    {
        var symbol = command.Symbol.Trim().ToUpperInvariant();
        await db.AlertSubscriptions.Where(s => s.UserId == command.UserId && s.Symbol == symbol).ExecuteDeleteAsync(cancellationToken);
        db.AlertSubscriptions.AddRange(command.Kinds.Distinct(StringComparer.Ordinal)
            .Select(kind => new AlertSubscriptionRecord { UserId = command.UserId, Symbol = symbol, Kind = kind }));
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
