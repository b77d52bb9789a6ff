using System.Globalization;
using HuiHui.Host.Hosting;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Host.Cli;

/// <summary>
/// <c>huihui price --right call|put --spot S --strike K --years T --rate R --dividend Q (--vol V | --premium P) [--json]</c>.
/// JSON: price, delta, gamma, vega, theta, rho, vanna, charm, iv (plain partials: vega per 1.00 of vol, rho per 1.00 of
/// rate, theta and charm per year). The text output adds per-1 % and per-day figures. No database needed.
/// </summary>
internal static class PriceVerb
{
    public static async Task<int> RunAsync(CliOutput output, PriceOption query, CancellationToken cancellationToken)
    {
        using var host = CliHost.Build();
        try
        {
            var result = await host.SendAsync(query, cancellationToken);
            return output.Ok(result, Describe);
        }
        catch (RequestValidationException error)
        {
            return output.Fail(HuiHuiCli.Usage, string.Join("; ", error.Failures.Select(f => f.ToString())));
        }
        catch (NoImpliedVolatilityException error)
        {
            return output.Fail(HuiHuiCli.Failed, error.Message);
        }
    }

    private static string Describe(OptionPricing p) => string.Create(CultureInfo.InvariantCulture, $"""
        price  {p.Price,12:F6}
        iv     {p.Iv,12:F6}   ({p.Iv * 100:F3} %)
        delta  {p.Delta,12:F6}
        gamma  {p.Gamma,12:F6}
        vega   {p.Vega,12:F6}   per 1.00 vol   ({p.Vega / 100:F6} per vol point)
        theta  {p.Theta,12:F6}   per year       ({p.Theta / 365:F6} per day)
        rho    {p.Rho,12:F6}   per 1.00 rate  ({p.Rho / 100:F6} per 1 %)
        vanna  {p.Vanna,12:F6}
        charm  {p.Charm,12:F6}   per year       ({p.Charm / 365:F6} per day)
        """);
}
