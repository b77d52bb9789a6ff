using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Learning.Features;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Learning.Scorecards;

/// <summary>
/// Scores flow, sentiment and meta against realised directions (the labelled examples joined to their feature vectors), overall
/// and per regime: what <see cref="RefreshScorecards"/> and <see cref="GetExpertScorecards"/> both answer with.
/// </summary>
internal static class ScorecardCalculator
{
    private static readonly (string Expert, string Score, string Confidence)[] Experts =
    [
        ("flow", "flow_score", "flow_confidence"), ("sentiment", "sentiment_score", "sentiment_confidence"), ("meta", "meta_direction", "meta_conviction"),
    ];

    public static async Task<List<ExpertScorecard>> ComputeAsync(LearningDbContext db, TimeSpan horizon, string? symbol, int rollingCount, CancellationToken cancellationToken)
    {
        var seconds = (int)horizon.TotalSeconds;
        var rows = await (from e in db.LabeledExamples.AsNoTracking()
                          join v in db.FeatureVectors.AsNoTracking() on e.FeatureVectorId equals v.Id
                          where e.HorizonSeconds == seconds && (symbol == null || e.Symbol == symbol)
                          orderby e.AsOf
                          select new { e.Direction, v.Values, v.Regime }).ToListAsync(cancellationToken);

        var cards = new List<ExpertScorecard>();
        foreach (var (expert, scoreName, confidenceName) in Experts)
        {
            var scoreIndex = Array.IndexOf(FeatureSchema.Names, scoreName);
            var confidenceIndex = Array.IndexOf(FeatureSchema.Names, confidenceName);
            var decided = rows
                .Where(r => !float.IsNaN(r.Values[scoreIndex]) && r.Values[scoreIndex] != 0)
                .Select(r => (Right: Math.Sign(r.Values[scoreIndex]) == r.Direction, Confidence: float.IsNaN(r.Values[confidenceIndex]) ? 0 : Math.Clamp(r.Values[confidenceIndex], 0, 1), r.Regime))
                .ToList();
            cards.Add(Card(expert, null, decided.Select(d => (d.Right, (double)d.Confidence)).ToList(), rollingCount));
            foreach (var regime in decided.Select(d => d.Regime).Distinct().OfType<string>().Order(StringComparer.Ordinal))
            {
                cards.Add(Card(expert, regime, decided.Where(d => d.Regime == regime).Select(d => (d.Right, (double)d.Confidence)).ToList(), rollingCount));
            }
        }

        return cards;
    }

    private static ExpertScorecard Card(string expert, string? regime, List<(bool Right, double Confidence)> decided, int rolling)
    {
        if (decided.Count == 0)
        {
            return new ExpertScorecard(expert, regime, 0, double.NaN, double.NaN, double.NaN, [double.NaN, double.NaN, double.NaN, double.NaN]);
        }

        double Rate(IEnumerable<(bool Right, double Confidence)> items) => items.Average(i => i.Right ? 1.0 : 0.0);
        var brier = decided.Average(d => Math.Pow(0.5 + d.Confidence / 2 - (d.Right ? 1 : 0), 2));
        var calibration = Enumerable.Range(0, 4)
            .Select(b => decided.Where(d => Math.Min((int)(d.Confidence * 4), 3) == b).ToList())
            .Select(bucket => bucket.Count == 0 ? double.NaN : Rate(bucket))
            .ToList();
        return new ExpertScorecard(expert, regime, decided.Count, Rate(decided), Rate(decided.TakeLast(rolling)), brier, calibration);
    }
}
