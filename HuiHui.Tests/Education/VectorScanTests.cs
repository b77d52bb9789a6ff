using HuiHui.Modules.Education.Embeddings;
using HuiHui.Modules.Education.Search;

namespace HuiHui.Tests.Education;

/// <summary>The 8-bit scan with exact rescoring must return what an exact float scan returns.</summary>
public sealed class VectorScanTests
{
    private static readonly string[] Words =
        ("gamma exposure dealers hedge call wall put wall max pain expiry strike implied volatility skew term structure contango backwardation " +
         "realised flow premium block sweep aggressor delta vanna charm regime uptrend downtrend range squeeze iron condor calendar spread " +
         "straddle credit debit theta vega conviction bias narrative river bank zebra walks price market trend stock bond yield").Split(' ');

    private static (QuantizedVectors Index, List<string> Texts) Corpus(int size, int seed)
    {
        var random = new Random(seed);
        var texts = Enumerable.Range(0, size).Select(_ => string.Join(' ', Enumerable.Range(0, 20 + random.Next(40)).Select(_ => Words[random.Next(Words.Length)]))).ToList();
        var vectors = texts.SelectMany(HashedNgramEmbeddingGenerator.Embed).ToArray();
        var ids = texts.Select(_ => Guid.NewGuid()).ToArray();
        var documents = ids.Select((_, i) => new Guid(i % 10, 0, 0, new byte[8])).ToArray();
        return (new QuantizedVectors(ids, documents, vectors, HashedNgramEmbeddingGenerator.Dimension), texts);
    }

    [Test]
    public void Nearest_EqualsTheExactScan_OnRealEmbeddings_SparseAndDenseQueries()
    {
        var (index, texts) = Corpus(5000, seed: 11);
        var queries = new[] { "dealers flip short gamma", "iron condor between the walls", "term structure backwardation", "zebra", "max pain into expiry" }
            .Select(HashedNgramEmbeddingGenerator.Embed)
            .Concat(texts.Take(3).Select(HashedNgramEmbeddingGenerator.Embed)); // whole chunks: most dimensions non-zero
        foreach (var vector in queries)
        {
            var query = $"{vector.Count(x => x != 0)} non-zero dimensions";
            var fast = index.Nearest(vector, 200);
            var exact = index.NearestExact(vector, 200);

            Assert.That(fast.Select(f => f.ChunkId), Is.EqualTo(exact.Select(e => e.ChunkId)), query);
            Assert.That(fast.Select(f => f.Score), Is.EqualTo(exact.Select(e => e.Score)), query);
            Assert.That(fast.Select(f => f.Score), Is.Ordered.Descending, query);
        }
    }

    [Test]
    public void Nearest_FindsNothing_ForAQueryWithNothingInCommon()
    {
        var (index, _) = Corpus(1000, seed: 14);

        var empty = index.Nearest(HashedNgramEmbeddingGenerator.Embed("the and of"), 50); // stop words only: a zero vector
        var unrelated = index.Nearest(HashedNgramEmbeddingGenerator.Embed("gamma"), 1000);

        Assert.That(empty, Is.Empty);
        Assert.That(unrelated, Is.Not.Empty);
        Assert.That(unrelated.Count, Is.LessThan(1000), "chunks sharing nothing with the query are not neighbours");
        Assert.That(unrelated.Select(u => u.Score), Has.All.GreaterThan(0f));
    }

    [Test]
    public void Nearest_KeepsOnlyTheAllowedDocuments()
    {
        var (index, _) = Corpus(1000, seed: 12);
        var allowedDocument = new Guid(3, 0, 0, new byte[8]);

        var query = HashedNgramEmbeddingGenerator.Embed("gamma exposure");

        var found = index.Nearest(query, 500, d => d == allowedDocument);

        var expected = index.NearestExact(query, 1000).Where(e => index.DocumentIds[Array.IndexOf(index.Ids, e.ChunkId)] == allowedDocument);
        Assert.That(found, Has.Count.GreaterThan(10));
        Assert.That(found.Select(f => f.ChunkId), Is.EqualTo(expected.Select(e => e.ChunkId)), "every similar chunk of document 3, in order, and nothing else");
    }

    [Test]
    public void MultiplyAdd_IsExact_ForEveryLength_AndTheExtremes()
    {
        var random = new Random(13);
        foreach (var length in new[] { 0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 2047, 2048 })
        {
            var column = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
            var sums = Enumerable.Range(0, length).Select(_ => random.Next(-1_000_000, 1_000_000)).ToArray();
            foreach (var weight in new short[] { 0, 1, -1, 32767, -32767, (short)random.Next(-32767, 32768) })
            {
                var expected = sums.Select((s, r) => s + (column[r] * weight)).ToArray();

                QuantizedVectors.MultiplyAdd(sums, column, weight);

                Assert.That(sums, Is.EqualTo(expected), $"length {length}, weight {weight}");
            }
        }
    }

    [Test]
    public void QueryQuantisation_StaysInsideTheIntegerRange_ForWideVectors()
    {
        foreach (var dimension in new[] { 384, 1536, 3072 })
        {
            var query = Enumerable.Repeat(1f / MathF.Sqrt(dimension), dimension).ToArray();
            var (values, scale) = QuantizedVectors.QuantizeQuery(query);

            var dot = values.Sum(v => 127L * v);

            Assert.That(dot, Is.GreaterThan(0).And.LessThanOrEqualTo(int.MaxValue), $"{dimension}");
            var rowScale = 1 / MathF.Sqrt(dimension) / 127f; // every component of the row is 1/√d, stored as 127
            Assert.That(dot * rowScale * scale, Is.EqualTo(1).Within(0.005), $"{dimension}: dequantised dot of two equal unit vectors");
        }
    }
}
