using System.Collections.Concurrent;
using HuiHui.Modules.Experts.Contracts;
using Mediator;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HuiHui.Modules.Experts.Alerts;

/// <summary>
/// Runs the alert rules on every live analysis against the symbol's previous one (kept in memory: the first analysis of
/// a symbol after a start raises nothing) and stores each alert once — a unique (symbol, kind, as_of) row, so a repeated
/// cycle or a second node cannot raise it twice — then publishes <see cref="MarketAlertRaised"/> for the hub to push.
/// A failure (PostgreSQL down) is logged; the analysis never waits on it beyond the insert.
/// </summary>
internal sealed partial class MarketAlertWatcher(NpgsqlDataSource dataSource, TimeProvider time, ILogger<MarketAlertWatcher> logger)
{
    /// <summary>Successive analyses a new regime must hold before it raises a change.</summary>
    public const int RegimeConfirmations = 3;

    private readonly ConcurrentDictionary<string, AlertReading> last = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RegimeState> regimes = new(StringComparer.Ordinal);

    public async Task ObserveAsync(Analysis analysis, IReadOnlyList<ClosedIdea> closed, IMediator mediator, CancellationToken cancellationToken)
    {
        var current = AlertReading.Of(analysis);
        AlertReading? previous = null;
        last.AddOrUpdate(current.Symbol, current, (_, before) =>
        {
            previous = before;
            return before.AsOf <= current.AsOf ? current : before;
        });
        var repeat = previous is not null && previous.AsOf >= current.AsOf;
        if (repeat)
        {
            previous = null; // a repeat or an older snapshot: nothing crossed
        }

        var found = MarketAlertRules.Detect(previous, current, closed);
        if (repeat is false)
        {
            var state = regimes.GetOrAdd(current.Symbol, _ => new RegimeState());
            lock (state)
            {
                if (MarketAlertRules.RegimeChange(state, current.Symbol, current.Regime, RegimeConfirmations) is { } change)
                {
                    found.Add(change);
                }
            }
        }

        foreach (var candidate in found)
        {
            try
            {
                if (await StoreAsync(current, candidate, cancellationToken) is { } alert)
                {
                    await mediator.Publish(new MarketAlertRaised(alert), cancellationToken);
                }
            }
            catch (Exception error) when (error is NpgsqlException or TimeoutException)
            {
                LogFailed(logger, current.Symbol, candidate.Kind, error.GetBaseException().Message);
            }
        }
    }

    /// <summary>Stores the alert unless it was raised already for that snapshot; null when it was.</summary>
    internal async Task<MarketAlert?> StoreAsync(AlertReading reading, AlertCandidate candidate, CancellationToken cancellationToken)
    {
        var raisedAt = time.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            INSERT INTO moe_analysis.market_alerts (symbol, kind, message, level, as_of, raised_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (symbol, kind, as_of) DO NOTHING RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = reading.Symbol });
        command.Parameters.Add(new NpgsqlParameter { Value = candidate.Kind });
        command.Parameters.Add(new NpgsqlParameter { Value = candidate.Message });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)candidate.Level ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = reading.AsOf.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = raisedAt.UtcDateTime });
        return await command.ExecuteScalarAsync(cancellationToken) is long id
            ? new MarketAlert(id, reading.Symbol, candidate.Kind, candidate.Message, candidate.Level, reading.AsOf, raisedAt)
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the {Kind} alert of {Symbol}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string symbol, string kind, string reason);
}
