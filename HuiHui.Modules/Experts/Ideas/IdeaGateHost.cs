using System.Text.Json;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Experts.Orchestration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HuiHui.Modules.Experts.Ideas;

/// <summary>
/// The active gate for the live analysis, read at most every 30 seconds (a gate promoted by another process is in use
/// within that). When PostgreSQL cannot be read the gate in hand stays, and with none the rules alone decide.
/// </summary>
internal sealed partial class IdeaGateHost(NpgsqlDataSource dataSource, TimeProvider time, ILogger<IdeaGateHost> logger)
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
            // One plain statement, not the context: every analysis of a fresh process (a one-shot analyze) reads this first,
            // and a context's first query costs far more set-up than the lookup itself.
            await using var select = dataSource.CreateCommand(
                $"SELECT id, trained_at, status, report FROM {ExpertsDbContext.Schema}.idea_gates WHERE status = $1 ORDER BY trained_at DESC LIMIT 1");
            select.Parameters.Add(new NpgsqlParameter { Value = Active });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            current = await reader.ReadAsync(cancellationToken)
                ? Read(new IdeaGateRecord { Id = reader.GetGuid(0), TrainedAt = reader.GetFieldValue<DateTimeOffset>(1), Status = reader.GetString(2), Report = reader.GetString(3) }).Gate
                : null;
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
