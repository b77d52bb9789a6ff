using HuiHui.Modules.Shared.Persistence;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HuiHui.Modules.Learning.Features;

internal sealed class GenerateLabelsValidator : AbstractValidator<GenerateLabels>
{
    public GenerateLabelsValidator() =>
        RuleFor(c => c.Horizon).InclusiveBetween(TimeSpan.FromMinutes(1), TimeSpan.FromDays(30)).WithMessage("horizon must be between 1 minute and 30 days");
}

/// <summary>Whether each expert's direction matched the outcome (null when it had no direction or was missing).</summary>
internal sealed record ExpertOutcomes(bool? Flow, bool? Sentiment, bool? Meta);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ExpertOutcomes))]
internal sealed partial class LearningJson : JsonSerializerContext;

/// <summary>
/// For each symbol, the unlabelled vectors (for this horizon) whose as-of + horizon is at or before the newest archived
/// minute bar get the price at as-of and at as-of + horizon (from Ingestion's archived minute bars, as <see cref="GetPricesAt"/> defines it); the label uses only
/// those two prices, the features stay as they were written at as-of. Unique per (vector, horizon): running it again adds nothing.
/// </summary>
internal sealed class GenerateLabelsHandler(LearningDbContext db, IMediator mediator, NpgsqlDataSource dataSource, TimeProvider time) : ICommandHandler<GenerateLabels, LabelReport>
{
    private const double DeadZone = 0.0001;
    private const int BatchSize = 10_000;

    public async ValueTask<LabelReport> Handle(GenerateLabels command, CancellationToken cancellationToken)
    {
        var seconds = (int)command.Horizon.TotalSeconds;
        var flow = Array.IndexOf(FeatureSchema.Names, "flow_score");
        var sentiment = Array.IndexOf(FeatureSchema.Names, "sentiment_score");
        var meta = Array.IndexOf(FeatureSchema.Names, "meta_direction");
        var (considered, labelled, waiting) = (0, 0, 0);
        var symbols = await db.FeatureVectors.Select(v => v.Symbol).Distinct().ToListAsync(cancellationToken);
        foreach (var symbol in symbols)
        {
            // The newest archived minute: a horizon ending after it is not over yet (in the archive).
            var latest = (await mediator.Send(new GetPricesAt(symbol, []), cancellationToken)).Latest;

            // Batches of BatchSize, oldest first, until the symbol has no unlabelled vector whose prices are in.
            int batchLabelled, batchCount;
            do
            {
                var pending = await db.FeatureVectors.AsNoTracking()
                    .Where(v => v.Symbol == symbol && v.SchemaVersion == FeatureSchema.Version
                                && !db.LabeledExamples.Any(e => e.FeatureVectorId == v.Id && e.HorizonSeconds == seconds))
                    .OrderBy(v => v.AsOf).Take(BatchSize).ToListAsync(cancellationToken);
                batchCount = pending.Count;
                batchLabelled = 0;
                if (pending.Count == 0)
                {
                    break;
                }

                var rows = new List<LabeledExampleRecord>(pending.Count);
                // One range fetch of the batch's bars answers every price and volatility lookup of the batch.
                var series = MinuteSeries.From(await mediator.Send(new GetMinuteBars(symbol, pending[0].AsOf - command.Horizon - MinuteSeries.MaxStaleness, pending[^1].AsOf + command.Horizon), cancellationToken));
                for (var i = 0; i < pending.Count; i++)
                {
                    considered++;
                    var vector = pending[i];
                    var (start, end) = (series.PriceAt(vector.AsOf), series.PriceAt(vector.AsOf + command.Horizon));
                    if (latest is null || vector.AsOf + command.Horizon > latest || start is not > 0 || end is not > 0)
                    {
                        waiting++;
                        continue;
                    }

                    var forward = Math.Log(end.Value / start.Value);
                    short direction = forward > DeadZone ? (short)1 : forward < -DeadZone ? (short)-1 : (short)0;
                    bool? Right(int index) => float.IsNaN(vector.Values[index]) || vector.Values[index] == 0 ? null : Math.Sign(vector.Values[index]) == direction;
                    rows.Add(new LabeledExampleRecord
                    {
                        FeatureVectorId = vector.Id,
                        Symbol = symbol,
                        AsOf = vector.AsOf,
                        HorizonSeconds = seconds,
                        ForwardReturn = forward,
                        Direction = direction,
                        RealizedVolChange = series.VolatilityChange(vector.AsOf, command.Horizon),
                        ExpertOutcomes = JsonSerializer.Serialize(new ExpertOutcomes(Right(flow), Right(sentiment), Right(meta)), LearningJson.Default.ExpertOutcomes),
                        LabeledAt = time.GetUtcNow(),
                    });
                    batchLabelled++;
                }

                labelled += await StoreAsync(rows, cancellationToken);
            }
            while (batchCount == BatchSize && batchLabelled > 0);
        }

        return new LabelReport(considered, labelled, waiting);
    }

    /// <summary>
    /// Binary COPY into a temporary table, then one insert that skips (vector, horizon) pairs already labelled: a second
    /// run at the same time cannot make duplicates, and nothing labelled before is touched.
    /// </summary>
    private async Task<int> StoreAsync(List<LabeledExampleRecord> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        const string Table = "training.labeled_examples";
        const string Columns = "feature_vector_id, symbol, as_of, horizon_seconds, forward_return, direction, realized_vol_change, expert_outcomes, labeled_at";
        await StagedCopy.StageAsync(connection, Table, Columns, rows, async (copy, row, token) =>
        {
            await copy.WriteAsync(row.FeatureVectorId, NpgsqlTypes.NpgsqlDbType.Bigint, token);
            await copy.WriteAsync(row.Symbol, NpgsqlTypes.NpgsqlDbType.Text, token);
            await copy.WriteAsync(row.AsOf.UtcDateTime, NpgsqlTypes.NpgsqlDbType.TimestampTz, token);
            await copy.WriteAsync(row.HorizonSeconds, NpgsqlTypes.NpgsqlDbType.Integer, token);
            await copy.WriteAsync(row.ForwardReturn, NpgsqlTypes.NpgsqlDbType.Double, token);
            await copy.WriteAsync(row.Direction, NpgsqlTypes.NpgsqlDbType.Smallint, token);
            if (row.RealizedVolChange is { } change)
            {
                await copy.WriteAsync(change, NpgsqlTypes.NpgsqlDbType.Double, token);
            }
            else
            {
                await copy.WriteNullAsync(token);
            }

            await copy.WriteAsync(row.ExpertOutcomes, NpgsqlTypes.NpgsqlDbType.Jsonb, token);
            await copy.WriteAsync(row.LabeledAt.UtcDateTime, NpgsqlTypes.NpgsqlDbType.TimestampTz, token);
        }, cancellationToken, definition: "feature_vector_id bigint, symbol text, as_of timestamptz, horizon_seconds int, forward_return float8, direction smallint, realized_vol_change float8, expert_outcomes jsonb, labeled_at timestamptz");
        var inserted = await StagedCopy.InsertNewAsync(connection, Table, Columns, "feature_vector_id, horizon_seconds", cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }
}

/// <summary>
/// One symbol's archived minute bars for a batch of labels: the price at a time (the close of the last bar starting at
/// most <see cref="MaxStaleness"/> before it, as <see cref="GetPricesAt"/> defines it) and the realised volatility of
/// 1-minute log returns over a window, from prefix sums of squared returns (each lookup O(log n)). Volatility is
/// annualised (252 days × 390 minutes); a window needs at least 3 returns, and a return spanning a gap of more than 5
/// minutes (overnight, missing bars) is left out.
/// </summary>
internal sealed class MinuteSeries
{
    public static readonly TimeSpan MaxStaleness = TimeSpan.FromMinutes(5);

    private const double MinutesPerYear = 252.0 * 390.0;
    private readonly long[] ticks;
    private readonly double[] closes;
    private readonly double[] sumSquares;
    private readonly int[] counts;

    private MinuteSeries(long[] ticks, double[] closes, double[] sumSquares, int[] counts) => (this.ticks, this.closes, this.sumSquares, this.counts) = (ticks, closes, sumSquares, counts);

    public static MinuteSeries From(IReadOnlyList<Bar> bars)
    {
        var ticks = new long[bars.Count];
        var closes = new double[bars.Count];
        var sums = new double[bars.Count];
        var counts = new int[bars.Count];
        for (var i = 0; i < bars.Count; i++)
        {
            ticks[i] = bars[i].Start.UtcTicks;
            closes[i] = bars[i].Close;
            var usable = i > 0 && bars[i].Close > 0 && bars[i - 1].Close > 0 && bars[i].Start - bars[i - 1].Start <= TimeSpan.FromMinutes(5);
            var r = usable ? Math.Log(bars[i].Close / bars[i - 1].Close) : 0;
            sums[i] = (i > 0 ? sums[i - 1] : 0) + (r * r);
            counts[i] = (i > 0 ? counts[i - 1] : 0) + (usable ? 1 : 0);
        }

        return new MinuteSeries(ticks, closes, sums, counts);
    }

    /// <summary>The close of the last bar starting at or before <paramref name="t"/> and at most 5 minutes before it.</summary>
    public double? PriceAt(DateTimeOffset t)
    {
        var index = LastAtOrBefore(t.UtcTicks);
        return index >= 0 && ticks[index] >= (t - MaxStaleness).UtcTicks ? closes[index] : null;
    }

    /// <summary>Realised vol over (t, t + h] minus over (t − h, t]; null when either window has fewer than 3 returns.</summary>
    public double? VolatilityChange(DateTimeOffset t, TimeSpan horizon)
    {
        var before = Window(t - horizon, t);
        var after = Window(t, t + horizon);
        return before is { } b && after is { } a ? a - b : null;
    }

    /// <summary>Annualised realised vol of the returns ending in (from, to].</summary>
    private double? Window(DateTimeOffset from, DateTimeOffset to)
    {
        var last = LastAtOrBefore(to.UtcTicks);
        var first = LastAtOrBefore(from.UtcTicks);
        if (last < 0)
        {
            return null;
        }

        var n = counts[last] - (first >= 0 ? counts[first] : 0);
        if (n < 3)
        {
            return null;
        }

        var sum = sumSquares[last] - (first >= 0 ? sumSquares[first] : 0);
        return Math.Sqrt(sum / n * MinutesPerYear);
    }

    private int LastAtOrBefore(long at)
    {
        var index = Array.BinarySearch(ticks, at);
        return index >= 0 ? index : ~index - 1;
    }
}
