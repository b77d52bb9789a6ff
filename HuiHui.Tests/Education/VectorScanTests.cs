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
    public void Nearest_EqualsTheExactScan_OnRealEmbeddings()
    {
        var (index, _) = Corpus(5000, seed: 11);
        foreach (var query in new[] { "dealers flip short gamma", "iron condor between the walls", "term structure backwardation", "zebra", "max pain into expiry" })
        {
            var vector = HashedNgramEmbeddingGenerator.Embed(query);
            var fast = index.Nearest(vector, 200);
            var exact = index.NearestExact(vector, 200);

            Assert.That(fast.Select(f => f.ChunkId), Is.EqualTo(exact.Select(e => e.ChunkId)), query);
            Assert.That(fast.Select(f => f.Score), Is.EqualTo(exact.Select(e => e.Score)), query);
            Assert.That(fast.Select(f => f.Score), Is.Ordered.Descending, query);
        }
    }

    [Test]
    public void Nearest_KeepsOnlyTheAllowedDocuments()
    {
        var (index, _) = Corpus(1000, seed: 12);
        var allowedDocument = new Guid(3, 0, 0, new byte[8]);

        var found = index.Nearest(HashedNgramEmbeddingGenerator.Embed("gamma exposure"), 500, d => d == allowedDocument);

        var rows = found.Select(f => Array.IndexOf(index.Ids, f.ChunkId)).ToList();
        Assert.That(rows, Has.Count.EqualTo(100), "every chunk of document 3 and nothing else");
        Assert.That(rows.Select(r => index.DocumentIds[r]), Has.All.EqualTo(allowedDocument));
    }

    [Test]
    public void IntegerDot_IsExact_OnEveryPath_AndEveryLength()
    {
        var random = new Random(13);
        foreach (var length in new[] { 0, 1, 15, 16, 17, 31, 32, 33, 384, 1536, 1541 })
        {
            var row = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
            var query = Enumerable.Range(0, length).Select(_ => (short)random.Next(-32767, 32768)).ToArray();
            var expected = 0L;
            for (var j = 0; j < length; j++)
            {
                expected += row[j] * query[j];
            }

            Assert.That(QuantizedVectors.DotPortable(row, query), Is.EqualTo(expected), $"portable, {length}");
            if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            {
                Assert.That(QuantizedVectors.DotAvx2(row, query), Is.EqualTo(expected), $"AVX2, {length}");
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
            var row = Enumerable.Repeat((sbyte)127, dimension).ToArray();

            var dot = (long)QuantizedVectors.DotPortable(row, values);

            Assert.That(dot, Is.GreaterThan(0).And.LessThanOrEqualTo(int.MaxValue), $"{dimension}");
            var rowScale = 1 / MathF.Sqrt(dimension) / 127f; // every component of the row is 1/√d, stored as 127
            Assert.That(dot * rowScale * scale, Is.EqualTo(1).Within(0.005), $"{dimension}: dequantised dot of two equal unit vectors");
        }
    }
}
