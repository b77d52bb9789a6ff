using HuiHui.Modules.Education.Contracts;

namespace HuiHui.Tests.Education;

/// <summary>
/// Recall@5 of the hybrid search on the starter corpus (docs/corpus). The queries were written by hand after the corpus,
/// one or two per section, as an analyst would ask — paraphrased, not copied from the text (e.g. "strike where option
/// holders lose the most at expiration" for the max-pain section). A query counts as found when a passage from the
/// expected section is among the first five.
/// </summary>
public sealed class StarterCorpusRecallTests : DatabaseTest
{
    private static readonly (string Query, string Title, string[] Sections)[] Labelled =
    [
        ("which strike acts as resistance from call hedging", "Options metrics HuiHui computes", ["Call wall and put wall"]),
        ("price where dealer gamma changes sign", "Options metrics HuiHui computes", ["Zero gamma"]),
        ("strike where option holders lose the most at expiration", "Options metrics HuiHui computes", ["Max pain"]),
        ("annualised standard deviation of daily returns", "Options metrics HuiHui computes", ["Realised volatility"]),
        ("a trade at the ask counts as a customer buy", "Options metrics HuiHui computes", ["Flow metrics"]),
        ("how much delta dealers hedge for a one percent move", "Options metrics HuiHui computes", ["Gamma exposure"]),
        ("calls priced above puts as traders chase upside", "Market regimes", ["Volatility expansion"]),
        ("cheap volatility steep contango and prices drifting up", "Market regimes", ["Low-volatility uptrend"]),
        ("price mean reverting between the put wall and the call wall", "Market regimes", ["Range-bound market"]),
        ("sell a put and buy a lower put for a credit", "Common options strategies", ["Put credit spread"]),
        ("profit from a big move either way", "Common options strategies", ["Long straddle"]),
        ("sell the near term option and buy a longer dated one at the same strike", "Common options strategies", ["Calendar spread"]),
        ("how much to risk per trade and where stops go", "Common options strategies", ["Risk management"]),
        ("what the conviction gauge on the overview means", "How to read the hub", ["Overview page"]),
        ("why a compliance alert appears and when it clears", "How to read the hub", ["Health strip and alerts"]),
        ("do old headlines count less", "How to read the hub", ["Sentiment panel"]),
        ("chart of the smile and the term structure", "How to read the hub", ["Volatility panel"]),
        ("front expiries richer than back months", "Options metrics HuiHui computes", ["Implied volatility, skew and term structure", "High-volatility downtrend"]),
    ];

    [Test]
    public async Task HybridSearch_FindsTheLabelledSectionInTheTopFive_ForAtLeast90Percent()
    {
        var report = await Testing.SendAsync(new IngestDocuments([CorpusFolder()]));
        Assert.That(report.Count("added"), Is.EqualTo(4));

        var misses = new List<string>();
        foreach (var (query, title, sections) in Labelled)
        {
            var results = await Testing.SendAsync(new SearchDocuments(query, 5));
            var found = results.Passages.Any(p => sections.Any(s => p.Location.Contains(s, StringComparison.Ordinal)) && (p.Title == title || sections.Length > 1));
            if (!found)
            {
                misses.Add($"{query} → {string.Join(" | ", results.Passages.Select(p => p.Location))}");
            }
        }

        var recall = 1 - (double)misses.Count / Labelled.Length;
        TestContext.Out.WriteLine($"recall@5 = {recall:P1} over {Labelled.Length} queries");
        foreach (var miss in misses)
        {
            TestContext.Out.WriteLine("miss: " + miss);
        }

        Assert.That(recall, Is.GreaterThanOrEqualTo(0.9));
    }

    internal static string CorpusFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "corpus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("docs/corpus not found above " + AppContext.BaseDirectory);
    }
}
