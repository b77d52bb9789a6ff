using FluentValidation;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Experts.Alerts;

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

internal sealed class GetAlertSubscriptionsHandler(ExpertsDbContext db) : IQueryHandler<GetAlertSubscriptions, IReadOnlyList<AlertSubscription>>
{
    public async ValueTask<IReadOnlyList<AlertSubscription>> Handle(GetAlertSubscriptions query, CancellationToken cancellationToken) =>
        await db.AlertSubscriptions.AsNoTracking().Where(s => s.UserId == query.UserId).OrderBy(s => s.Symbol).ThenBy(s => s.Kind)
            .Select(s => new AlertSubscription(s.Symbol, s.Kind)).ToListAsync(cancellationToken);
}

internal sealed class GetAlertSubscribersHandler(ExpertsDbContext db) : IQueryHandler<GetAlertSubscribers, IReadOnlyList<string>>
{
    public async ValueTask<IReadOnlyList<string>> Handle(GetAlertSubscribers query, CancellationToken cancellationToken)
    {
        var symbol = query.Symbol.ToUpperInvariant();
        return await db.AlertSubscriptions.AsNoTracking().Where(s => (s.Symbol == symbol || s.Symbol == "*") && s.Kind == query.Kind)
            .Select(s => s.UserId).Distinct().ToListAsync(cancellationToken);
    }
}

internal sealed class GetMarketAlertsHandler(ExpertsDbContext db) : IQueryHandler<GetMarketAlerts, IReadOnlyList<MarketAlert>>
{
    public async ValueTask<IReadOnlyList<MarketAlert>> Handle(GetMarketAlerts query, CancellationToken cancellationToken)
    {
        var alerts = db.MarketAlerts.AsNoTracking();
        if (query.Symbol is { } symbol)
        {
            var upper = symbol.Trim().ToUpperInvariant();
            alerts = alerts.Where(a => a.Symbol == upper);
        }

        return await alerts.OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).Take(Math.Clamp(query.Count, 1, 500))
            .Select(a => new MarketAlert(a.Id, a.Symbol, a.Kind, a.Message, a.Level, a.AsOf, a.RaisedAt)).ToListAsync(cancellationToken);
    }
}
