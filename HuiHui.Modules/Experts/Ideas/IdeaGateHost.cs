using System.Text.Json;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Experts.Orchestration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Experts.Ideas;

/// <summary>
/// The active gate for the live analysis, read at most every 30 seconds (a gate promoted by another process is in use
/// within that). When PostgreSQL cannot be read the gate in hand stays, and with none the rules alone decide.
/// </summary>
internal sealed partial class IdeaGateHost(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdeaGateHost> logger)
{
    public const string Active = "active";

    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(30);

    private IdeaGate? current;
    private DateTimeOffset nextCheck = DateTimeOffset.MinValue;

    public async ValueTask<IdeaGate?> CurrentAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() < nextCheck)
        {
            return current;
        }

        nextCheck = time.GetUtcNow() + CheckEvery;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ExpertsDbContext>();
            var record = await db.IdeaGates.AsNoTracking().Where(g => g.Status == Active).OrderByDescending(g => g.TrainedAt).FirstOrDefaultAsync(cancellationToken);
            current = record is null ? null : Read(record).Gate;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogUnreadable(logger, error.GetBaseException().Message);
        }

        return current;
    }

    /// <summary>Read again on the next analysis (a gate was just trained).</summary>
    public void Forget() => nextCheck = DateTimeOffset.MinValue;

    public static IdeaGateReport Read(IdeaGateRecord record) =>
        JsonSerializer.Deserialize(record.Report, ExpertsJson.Default.IdeaGateReport)! with { Id = record.Id, Status = record.Status };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the active idea gate, keeping the one in hand: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string reason);
}
