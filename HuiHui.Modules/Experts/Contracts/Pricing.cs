using HuiHui.Modules.Shared.Contracts;
using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>
/// Black-Scholes-Merton price and greeks of one option, from a volatility or (when <paramref name="Vol"/> is null)
/// the volatility implied by <paramref name="Premium"/>. Rates and yields continuously compounded, decimals per year.
/// </summary>
public sealed record PriceOption(OptionRight Right, double Spot, double Strike, double Years, double Rate, double Dividend, double? Vol, double? Premium)
    : IQuery<OptionPricing>;

/// <summary>Per share. Vega per 1.00 of volatility, rho per 1.00 of rate, theta and charm per year of calendar time passing.</summary>
/// <param name="Iv">The volatility used: the one given, or the one solved from the premium.</param>
public sealed record OptionPricing(double Price, double Delta, double Gamma, double Vega, double Theta, double Rho, double Vanna, double Charm, double Iv);

/// <summary>No volatility reproduces the premium: it lies outside the arbitrage bounds (or at the lower bound).</summary>
public sealed class NoImpliedVolatilityException(double premium, double lower, double upper)
    : RefusedRequestException($"no implied volatility: premium {premium:0.######} is outside the arbitrage bounds ({lower:0.######}, {upper:0.######})")
{
    public double Premium { get; } = premium;

    public double Lower { get; } = lower;

    public double Upper { get; } = upper;
}
