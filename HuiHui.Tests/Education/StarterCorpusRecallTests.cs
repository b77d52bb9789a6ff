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
    /// <summary>The labelled queries, also read by the recall report of HuiHui.Benchmarks (<c>starter-recall.tsv</c>).</summary>
    private static readonly (string Query, string Title, string[] Sections)[] Labelled =
        [.. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Education", "starter-recall.tsv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split('\t')).Select(p => (p[0], p[1], p[2].Split('|')))];

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
