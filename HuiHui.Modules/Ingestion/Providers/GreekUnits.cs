using HuiHui.Modules.Ingestion.Contracts;

namespace HuiHui.Modules.Ingestion.Providers;

/// <summary>
/// Converts greeks quoted the trading-desk way (theta per calendar day, vega and rho per 1 percentage point)
/// to the plain partial derivatives <see cref="ProviderGreeks"/> holds (per year, per 1.00). See docs/metrics.md.
/// </summary>
internal static class GreekUnits
{
    public static ProviderGreeks? FromDeskUnits(double? delta, double? gamma, double? thetaPerDay, double? vegaPerPoint, double? rhoPerPoint)
    {
        if (delta is null && gamma is null && thetaPerDay is null && vegaPerPoint is null && rhoPerPoint is null)
        {
            return null;
        }

        return new ProviderGreeks(delta, gamma, thetaPerDay * 365, vegaPerPoint * 100, rhoPerPoint * 100);
    }

    /// <summary>Providers send 0 (or nothing) for an implied vol they could not solve; that is unknown, not zero.</summary>
    public static double? ImpliedVol(double? value) => value is > 0 ? value : null;
}
