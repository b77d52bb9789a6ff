using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;

namespace HuiHui.Modules.Experts.Sentiment;

/// <summary>
/// Scores every headline and aggregates with recency decay (half-life 2 hours before the snapshot): score = Σ wᵢ·sᵢ / Σ wᵢ,
/// wᵢ = 2^(−age/2 h). Momentum = the last hour's mean score minus the mean before it. Confidence = |score| × (1 − 1/(1+n))
/// × agreement (share of non-neutral headlines on the majority side). Bullish above +0.1, bearish below −0.1.
/// </summary>
internal static class MarketIntelligenceExpert
{
    private static readonly TimeSpan HalfLife = TimeSpan.FromHours(2);

    public static async Task<SentimentResponse> AssessAsync(ChainSnapshot snapshot, IHeadlineScorer scorer, CancellationToken cancellationToken)
    {
        var scored = new List<ScoredHeadline>(snapshot.News.Count);
        double weighted = 0, weights = 0, recentSum = 0, olderSum = 0;
        int recent = 0, older = 0, positive = 0, negative = 0;
        foreach (var item in snapshot.News)
        {
            var (label, score) = await scorer.ScoreAsync(item.Headline, cancellationToken);
            scored.Add(new ScoredHeadline(item.Id, item.Headline, item.Source, item.PublishedAt, label, score));
            var age = snapshot.AsOf - item.PublishedAt;
            var weight = Math.Pow(2, -Math.Max(age.TotalHours, 0) / HalfLife.TotalHours);
            weighted += weight * score;
            weights += weight;
            if (age <= TimeSpan.FromHours(1))
            {
                recentSum += score;
                recent++;
            }
            else
            {
                olderSum += score;
                older++;
            }

            positive += label == "positive" ? 1 : 0;
            negative += label == "negative" ? 1 : 0;
        }

        var aggregate = weights > 0 ? weighted / weights : 0;
        var momentum = (recent > 0 ? recentSum / recent : 0) - (older > 0 ? olderSum / older : 0);
        var opinionated = positive + negative;
        var agreement = opinionated > 0 ? (double)Math.Max(positive, negative) / opinionated : 0;
        var confidence = Math.Clamp(Math.Abs(aggregate) * (1 - 1.0 / (1 + scored.Count)) * agreement * 2, 0, 1);
        var bias = aggregate > 0.1 ? Bias.Bullish : aggregate < -0.1 ? Bias.Bearish : Bias.Neutral;
        scored.Sort((a, b) => b.PublishedAt.CompareTo(a.PublishedAt));
        return new SentimentResponse(bias, aggregate, confidence, momentum, scored.Count > 10 ? scored[..10] : scored, scorer.Name);
    }
}
