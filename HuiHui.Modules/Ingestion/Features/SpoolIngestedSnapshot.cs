using HuiHui.Modules.Ingestion.Archive;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Ingestion.Features;

/// <summary>Every ingested snapshot goes to the spool, for the archive job (every minute); a full spool raises <c>ingestion/spool-full</c>.</summary>
internal sealed partial class SpoolIngestedSnapshot(SnapshotSpool spool, Pipeline.IngestionAlerts alerts, ILogger<SpoolIngestedSnapshot> logger) : INotificationHandler<SnapshotIngested>
{
    public async ValueTask Handle(SnapshotIngested notification, CancellationToken cancellationToken)
    {
        try
        {
            if (spool.Append(notification.Snapshot) is > 0 and var lost)
            {
                LogSpoolFull(logger, lost, spool.Folder);
                await alerts.SetAsync("spool-full", $"the snapshot spool reached its cap: {spool.Dropped} snapshot(s) dropped unarchived since the start (is PostgreSQL down?)", cancellationToken);
            }
        }
        catch (IOException error)
        {
            LogSpoolFailed(logger, error, notification.Symbol, spool.Folder);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The snapshot spool in {Folder} is full: {Lost} snapshot(s) of the oldest files dropped unarchived")]
    private static partial void LogSpoolFull(ILogger logger, int lost, string folder);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not spool the snapshot of {Symbol} to {Folder}; it will not be archived")]
    private static partial void LogSpoolFailed(ILogger logger, Exception exception, string symbol, string folder);
}
