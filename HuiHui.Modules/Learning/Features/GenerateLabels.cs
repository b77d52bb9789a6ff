using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

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
/// minute bar get the price at as-of and at as-of + horizon (Ingestion's <see cref="GetPricesAt"/>); the label uses only
/// those two prices, the features stay as they were written at as-of. Unique per (vector, horizon): running it again adds nothing.
/// </summary>
internal sealed class GenerateLabelsHandler(LearningDbContext db, IMediator mediator, TimeProvider time) : ICommandHandler<GenerateLabels, LabelReport>
{
    private const double DeadZone = 0.0001;

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
            var pending = await db.FeatureVectors.AsNoTracking()
                .Where(v => v.Symbol == symbol && v.SchemaVersion == FeatureSchema.Version
                            && !db.LabeledExamples.Any(e => e.FeatureVectorId == v.Id && e.HorizonSeconds == seconds))
                .OrderBy(v => v.AsOf).Take(10_000).ToListAsync(cancellationToken);
            if (pending.Count == 0)
            {
                continue;
            }

            var times = pending.SelectMany(v => new[] { v.AsOf, v.AsOf + command.Horizon }).ToList();
            var prices = await mediator.Send(new GetPricesAt(symbol, times), cancellationToken);
            for (var i = 0; i < pending.Count; i++)
            {
                considered++;
                var vector = pending[i];
                var (start, end) = (prices.Prices[2 * i], prices.Prices[2 * i + 1]);
                if (prices.Latest is not { } latest || vector.AsOf + command.Horizon > latest || start is not > 0 || end is not > 0)
                {
                    waiting++;
                    continue;
                }

                var forward = Math.Log(end.Value / start.Value);
                short direction = forward > DeadZone ? (short)1 : forward < -DeadZone ? (short)-1 : (short)0;
                bool? Right(int index) => float.IsNaN(vector.Values[index]) || vector.Values[index] == 0 ? null : Math.Sign(vector.Values[index]) == direction;
                db.LabeledExamples.Add(new LabeledExampleRecord
                {
                    FeatureVectorId = vector.Id,
                    Symbol = symbol,
                    AsOf = vector.AsOf,
                    HorizonSeconds = seconds,
                    ForwardReturn = forward,
                    Direction = direction,
                    ExpertOutcomes = JsonSerializer.Serialize(new ExpertOutcomes(Right(flow), Right(sentiment), Right(meta)), LearningJson.Default.ExpertOutcomes),
                    LabeledAt = time.GetUtcNow(),
                });
                labelled++;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException error) when (error.InnerException is Npgsql.PostgresException { SqlState: "23505" })
            {
                db.ChangeTracker.Clear(); // another run labelled these at the same time; they are there once
            }
        }

        return new LabelReport(considered, labelled, waiting);
    }
}
