using FluentValidation;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Learning.Scorecards;
using HuiHui.Modules.Shared.Contracts;
using Mediator;

namespace HuiHui.Modules.Learning.Features;

internal sealed class RefreshScorecardsValidator : AbstractValidator<RefreshScorecards>
{
    public RefreshScorecardsValidator()
    {
        RuleFor(c => c.RollingCount).InclusiveBetween(10, 100_000);
        RuleFor(c => c.AlertMargin).InclusiveBetween(0.0, 1.0);
    }
}

/// <summary>Scores flow, sentiment and meta against realised directions; see <see cref="RefreshScorecards"/>.</summary>
internal sealed class RefreshScorecardsHandler(LearningDbContext db, IMediator mediator) : ICommandHandler<RefreshScorecards, IReadOnlyList<ExpertScorecard>>
{
    public async ValueTask<IReadOnlyList<ExpertScorecard>> Handle(RefreshScorecards command, CancellationToken cancellationToken)
    {
        var cards = await ScorecardCalculator.ComputeAsync(db, command.Horizon, command.Symbol, command.RollingCount, cancellationToken);
        foreach (var card in cards.Where(c => c.Regime is null))
        {
            var code = $"accuracy-drop:{card.Expert}";
            if (card.Examples >= command.RollingCount * 2 && card.RollingHitRate < card.HitRate - command.AlertMargin)
            {
                await mediator.Send(new RaiseAlert("learning", code, AlertSeverity.Warning,
                    $"{card.Expert} expert: {card.RollingHitRate:P0} right over the last {command.RollingCount} examples vs {card.HitRate:P0} long run"), cancellationToken);
            }
            else
            {
                await mediator.Send(new ResolveAlert("learning", code), cancellationToken);
            }
        }

        return cards;
    }
}
