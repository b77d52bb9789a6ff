using System.Text.Json;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Experts.Meta;
using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Persistence;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HuiHui.Modules.Experts.Ideas;

/// <summary>
/// The life of the ideas, on every live analysis of a symbol, by the rules of <see cref="IdeaLife"/>: open ideas are read
/// from <c>moe_analysis.trade_ideas</c>, marked and closed; a new idea is stored when first proposed. One open idea per
/// symbol. A failure (PostgreSQL down) is logged and the next cycle tries again; the analysis never waits on it.
/// </summary>
internal sealed partial class IdeaTracker(NpgsqlDataSource dataSource, ILogger<IdeaTracker> logger)
{
    /// <summary>Marks, closes and opens; returns the ideas closed on this snapshot (none when the database failed).</summary>
    /// <remarks>
    /// Plain statements on the shared data source, not the context: this runs for every symbol every cycle (and first thing
    /// in a one-shot analyze), where a context's set-up and change tracking cost more than the three statements themselves.
    /// </remarks>
    public async Task<IReadOnlyList<Alerts.ClosedIdea>> TrackAsync(ChainSnapshot snapshot, MetaResponse meta, RegimeResponse? regime, CancellationToken cancellationToken)
    {
        var closed = new List<Alerts.ClosedIdea>();
        try
        {
            var open = new List<(Guid Id, DateTimeOffset OpenedAt, string Strategy, TradeIdea Idea)>();
            await using (var select = dataSource.CreateCommand(
                $"SELECT id, opened_at, strategy, idea FROM {ExpertsDbContext.Schema}.trade_ideas WHERE symbol = $1 AND closed_at IS NULL ORDER BY opened_at, id"))
            {
                select.Parameters.Add(new NpgsqlParameter { Value = snapshot.Symbol });
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    open.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                        JsonSerializer.Deserialize(reader.GetString(3), ExpertsJson.Default.TradeIdea)!));
                }
            }

            var proposed = meta.Idea;
            var (marks, opens) = IdeaLife.Step(open.ConvertAll(r => new OpenIdea(r.Idea, r.OpenedAt)), snapshot, proposed);
            await using var batch = dataSource.CreateBatch();
            for (var i = 0; i < open.Count; i++)
            {
                if (marks[i] is not { } mark)
                {
                    continue;
                }

                var record = open[i];
                var closes = mark.Outcome is not null;
                batch.BatchCommands.Add(Command(
                    $"""
                    UPDATE {ExpertsDbContext.Schema}.trade_ideas
                    SET marked_at = $3, pnl = $4, pnl_natural = $5, r = $6, closed_at = $7, outcome = $8, exit_spot = $9
                    WHERE id = $1 AND opened_at = $2
                    """,
                    record.Id, record.OpenedAt, snapshot.AsOf, mark.Pnl, mark.PnlNatural, (object?)mark.R,
                    closes ? snapshot.AsOf : null, mark.Outcome, closes ? snapshot.Spot : null));
                if (closes)
                {
                    closed.Add(new Alerts.ClosedIdea(record.Strategy, mark.Outcome!, snapshot.Spot));
                }
            }

            if (proposed is not null && opens)
            {
                var now = snapshot.AsOf;
                await DailyPartitions.EnsureAsync(dataSource, ExpertsDbContext.Ideas, [now], cancellationToken);
                var insert = Command(
                    $"INSERT INTO {ExpertsDbContext.Schema}.trade_ideas (id, symbol, opened_at, strategy, conviction, regime, idea) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    Guid.CreateVersion7(), snapshot.Symbol, now, proposed.Strategy, proposed.Conviction, AnalysisRunner.RegimeName(regime), null);
                insert.Parameters[6] = new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb, Value = JsonSerializer.Serialize(proposed, ExpertsJson.Default.TradeIdea) };
                batch.BatchCommands.Add(insert);
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken); // one round trip, one implicit transaction
            }

            return closed;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogFailed(logger, snapshot.Symbol, error.GetBaseException().Message);
            return [];
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not follow the trade ideas of {Symbol}, will try again next cycle: {Reason}")]
    private static partial void LogFailed(ILogger logger, string symbol, string reason);
}
