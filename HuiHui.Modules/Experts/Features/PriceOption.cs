using FluentValidation;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Pricing;
using Mediator;

namespace HuiHui.Modules.Experts.Features;

internal sealed class PriceOptionValidator : AbstractValidator<PriceOption>
{
    public PriceOptionValidator()
    {
        RuleFor(q => q.Right).IsInEnum();
        RuleFor(q => q.Spot).GreaterThan(0).Must(double.IsFinite);
        RuleFor(q => q.Strike).GreaterThan(0).Must(double.IsFinite);
        RuleFor(q => q.Years).GreaterThan(0).LessThanOrEqualTo(50);
        RuleFor(q => q.Rate).InclusiveBetween(-0.5, 1);
        RuleFor(q => q.Dividend).InclusiveBetween(-0.5, 1);
        RuleFor(q => q.Vol!.Value).GreaterThan(0).LessThanOrEqualTo(10).When(q => q.Vol is not null).OverridePropertyName("Vol");
        RuleFor(q => q.Premium!.Value).GreaterThan(0).Must(double.IsFinite).When(q => q.Premium is not null).OverridePropertyName("Premium");
        RuleFor(q => q.Vol).Must((q, vol) => (vol is null) != (q.Premium is null)).WithMessage("give exactly one of --vol or --premium");
    }
}

internal sealed class PriceOptionHandler : IQueryHandler<PriceOption, OptionPricing>
{
    public ValueTask<OptionPricing> Handle(PriceOption query, CancellationToken cancellationToken)
    {
        var vol = query.Vol ?? BlackScholes.ImpliedVol(query.Right, query.Premium!.Value, query.Spot, query.Strike, query.Years, query.Rate, query.Dividend);
        if (vol is null)
        {
            var (lower, upper) = BlackScholes.ArbitrageBounds(query.Right, query.Spot, query.Strike, query.Years, query.Rate, query.Dividend);
            throw new NoImpliedVolatilityException(query.Premium!.Value, lower, upper);
        }

        var g = BlackScholes.Greeks(query.Right, query.Spot, query.Strike, query.Years, query.Rate, query.Dividend, vol.Value);
        return ValueTask.FromResult(new OptionPricing(g.Price, g.Delta, g.Gamma, g.Vega, g.Theta, g.Rho, g.Vanna, g.Charm, vol.Value));
    }
}
