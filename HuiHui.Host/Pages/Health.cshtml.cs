using HuiHui.Host.Pages.Shared;
using HuiHui.Modules.Cluster.Contracts;
using HuiHui.Modules.Experts.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>The health panel: cache, latency, persistence, providers, alerts, market alerts, uptime, jobs, the cluster's nodes and this process, read fresh.</summary>
internal sealed class HealthModel(HubStatus status, IMediator mediator) : PageModel
{
    public HubHealth Health { get; private set; } = null!;

    /// <summary>The newest market alerts of every symbol; null when PostgreSQL could not be read.</summary>
    public IReadOnlyList<MarketAlert>? MarketAlerts { get; private set; }

    /// <summary>The nodes and the symbols each holds (several nodes); null when PostgreSQL could not be read.</summary>
    public ClusterStatus? Cluster { get; private set; }

    /// <summary>The background writers (responses, feature vectors, stats): written, queued, spooled, lost.</summary>
    public IReadOnlyList<HuiHui.Modules.Shared.Contracts.WriterStatus> Writers { get; private set; } = [];

    /// <summary>This process's memory, collections and CPU.</summary>
    public Hosting.ProcessFigures Process { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Health = await status.GetAsync(fresh: true, cancellationToken);
        Process = Hosting.ProcessFigures.Read();
        Writers = await mediator.Send(new HuiHui.Modules.Shared.Contracts.GetWriterStatuses(), cancellationToken);
        MarketAlerts = await ReadAsync(() => mediator.Send(new GetMarketAlerts(Count: 50), cancellationToken));
        Cluster = await ReadAsync(() => mediator.Send(new GetClusterStatus(), cancellationToken));
    }

    /// <summary>A part of the page that degrades alone when PostgreSQL cannot answer it.</summary>
    private static async Task<T?> ReadAsync<T>(Func<ValueTask<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (Exception error) when (error is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return null;
        }
    }
}
