using HuiHui.Modules.Education;
using HuiHui.Modules.Education.Embeddings;
using HuiHui.Tests.Cache;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HuiHui.Tests.Education;

/// <summary>The local model's query vectors kept on disk: a later process answers a known question without loading the model.</summary>
public sealed class QueryVectorFileTests
{
    [Test]
    public async Task AKnownQuestion_IsAnsweredInALaterProcess_WithoutLoadingTheModel()
    {
        var folder = Path.Combine(CacheHarness.NewFolder(), "models");
        float[] first;
        using (var before = Model(folder))
        {
            first = await before.EmbedQueryAsync("range-bound market iron condor", CancellationToken.None);
        }

        using var after = Model(folder);
        var again = await after.EmbedQueryAsync("range-bound market iron condor", CancellationToken.None);
        var loadedForTheKnownQuestion = after.IsLoaded;
        var other = await after.EmbedQueryAsync("volatility expansion squeeze long straddle", CancellationToken.None);

        Assert.That(again, Is.EqualTo(first), "the stored vector, bit for bit");
        Assert.That(loadedForTheKnownQuestion, Is.False, "no model load for a question asked before");
        Assert.That(after.IsLoaded, Is.True, "a new question loads it");
        Assert.That(other, Has.Length.EqualTo(SentenceEmbeddingGenerator.Dimension));
    }

    [Test]
    public void TornAndForeignLines_AreSkipped_AndTheLastLineOfAQueryWins()
    {
        var folder = CacheHarness.NewFolder();
        var file = new QueryVectorFile(folder, "m", dimension: 3, cap: 10);
        file.Append("a", [1, 2, 3]);
        file.Append("b", [4, 5, 6]);
        file.Append("wrong length", [1, 2]);
        file.Append("a", [7, 8, 9]);
        var path = Directory.GetFiles(file.Folder).Single();
        File.AppendAllText(path, "not base64 at all\nYQ== AAAA\n" + "YQ==" + " " + Convert.ToBase64String(new byte[12])[..6]); // a torn last line

        var loaded = file.Load();

        Assert.That(loaded.Select(e => e.Query), Is.EqualTo(new[] { "b", "a" }));
        Assert.That(loaded.Single(e => e.Query == "a").Vector, Is.EqualTo(new float[] { 7, 8, 9 }));
    }

    [Test]
    public void PastTwiceTheCap_TheFileKeepsItsNewestEntries_AndOlderBuildsFilesGo()
    {
        var folder = CacheHarness.NewFolder();
        var file = new QueryVectorFile(folder, "m", dimension: 2, cap: 3);
        Directory.CreateDirectory(file.Folder);
        var olderBuild = Path.Combine(file.Folder, "m-" + new string('0', 32) + ".vectors");
        var otherModel = Path.Combine(file.Folder, "m-int8-" + new string('0', 32) + ".vectors");
        File.WriteAllText(olderBuild, "");
        File.WriteAllText(otherModel, "");
        for (var i = 0; i < 7; i++)
        {
            file.Append($"q{i}", [i, i]);
        }

        var loaded = file.Load();
        var reloaded = file.Load();

        Assert.That(loaded.Select(e => e.Query), Is.EqualTo(new[] { "q4", "q5", "q6" }));
        Assert.That(reloaded.Select(e => e.Query), Is.EqualTo(new[] { "q4", "q5", "q6" }));
        Assert.That(File.ReadAllLines(Directory.GetFiles(file.Folder, "m-*.vectors").Single(f => f != otherModel)), Has.Length.EqualTo(3), "rewritten with the newest three");
        Assert.That((File.Exists(olderBuild), File.Exists(otherModel)), Is.EqualTo((false, true)), "an older build's file goes; another model's stays");
    }

    private static EmbeddingModel Model(string folder) =>
        new(Options.Create(new EducationOptions { Embeddings = new EmbeddingOptions { GraphCachePath = folder } }), TimeProvider.System, NullLogger<EmbeddingModel>.Instance);
}
