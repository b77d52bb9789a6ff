using HuiHui.Host.Pages.Shared;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>The health panel: cache, latency, persistence, providers, alerts, uptime and jobs, read fresh.</summary>
internal sealed class HealthModel(HubStatus status) : PageModel
{
    public HubHealth Health { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Health = await status.GetAsync(fresh: true, cancellationToken);
}
