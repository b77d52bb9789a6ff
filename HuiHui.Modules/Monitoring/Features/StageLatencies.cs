using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Monitoring.Features;

/// <summary>
/// Writes stage latencies and usage records in batches (up to 1,000 rows, at least once a second); best effort, see
/// <see cref="BatchedWriter{T}"/>. EF assigns the identity ids, so a failed batch has them reset before its retry.
/// </summary>
internal sealed class StatsWriter(IServiceScopeFactory scopes, TimeProvider time, ILogger<StatsWriter> logger)
    : BatchedWriter<object>(10_000, 1000, TimeSpan.FromSeconds(1), time, logger)
{
    public void Enqueue(UsageRecord record) => base.Enqueue(record);

    public void Enqueue(OrchestratorStatRecord record) => base.Enqueue(record);

    protected override async Task WriteAsync(List<object> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MonitoringDbContext>();
        try
        {
            db.OrchestratorStats.AddRange(batch.OfType<OrchestratorStatRecord>());
            db.UsageRecords.AddRange(batch.OfType<UsageRecord>());
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            foreach (var record in batch)
            {
                switch (record)
                {
                    case OrchestratorStatRecord stat: stat.Id = 0; break;
                    case UsageRecord usage: usage.Id = 0; break;
                }
            }

            throw;
        }
    }
}
