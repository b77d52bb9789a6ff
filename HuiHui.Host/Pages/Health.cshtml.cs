using HuiHui.Host.Pages.Shared;
using HuiHui.Modules.Experts.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>The health panel: cache, latency, persistence, providers, alerts, market alerts, uptime and jobs, read fresh.</summary>
internal sealed class HealthModel(HubStatus status, IMediator mediator) : PageModel
{
    public HubHealth Health { get; private set; } = null!;

    /// <summary>The newest market alerts of every symbol; null when PostgreSQL could not be read.</summary>
    public IReadOnlyList<MarketAlert>? MarketAlerts { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Health = await status.GetAsync(fresh: true, cancellationToken);
        try
        {
            MarketAlerts = await mediator.Send(new GetMarketAlerts(Count: 50), cancellationToken);
        }
        catch (Exception error) when (error is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            MarketAlerts = null;
        }
    }
}
