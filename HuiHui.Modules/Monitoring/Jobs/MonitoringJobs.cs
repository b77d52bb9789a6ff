using System.ComponentModel;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;

namespace HuiHui.Modules.Monitoring.Jobs;

/// <summary>Hangfire entry points of the module.</summary>
internal sealed class MonitoringJobs(IMediator mediator)
{
    public const string RetentionId = "monitoring:retention";

    [DisplayName("Apply retention")]
    public async Task<RetentionReport> RetentionAsync(CancellationToken cancellationToken) => await mediator.Send(new ApplyRetention(), cancellationToken);
}
