using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HuiHui.Modules.Education.Search;

/// <summary>
/// The chunk vectors of one embedding model, held twice: as the unit-length floats and as 8-bit integers (each row scaled
/// so its largest component is ±127). A search scans the 8-bit rows — a quarter of the memory traffic of the floats, which
/// is what bounds a scan of 100,000 × 384 values — keeps the best <see cref="Oversampling"/> × k by that approximate
/// cosine, and rescores those with the exact float dot product. The result is the exact top k unless a vector belongs
/// there but the 8-bit error pushed it below rank 2k, which the quantisation error (≤ 0.4 % of a row's largest
/// component per coordinate) makes practically impossible; the tests check it against an exact scan.
/// </summary>
internal sealed class QuantizedVectors
{
    /// <summary>How many approximate candidates per requested neighbour are rescored exactly.</summary>
    public const int Oversampling = 2;

    private readonly float[] vectors;
    private readonly sbyte[] quantized;
    private readonly float[] rowScale; // max |x| / 127 of each row: approximate dot = integer dot × rowScale × query scale

    public QuantizedVectors(Guid[] ids, Guid[] documentIds, float[] vectors, int dimension)
    {
        if (ids.Length != documentIds.Length || vectors.Length != ids.Length * dimension)
        {
            throw new ArgumentException($"{ids.Length} ids, {documentIds.Length} document ids and {vectors.Length} values do not make rows of {dimension}");
        }

        Ids = ids;
        DocumentIds = documentIds;
        Dimension = dimension;
        this.vectors = vectors;
        quantized = new sbyte[vectors.Length];
        rowScale = new float[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            var row = vectors.AsSpan(i * dimension, dimension);
            var max = row.IsEmpty ? 0 : TensorPrimitives.MaxMagnitude(row);
            var magnitude = MathF.Abs(max);
            rowScale[i] = magnitude / 127f;
            var target = quantized.AsSpan(i * dimension, dimension);
            for (var j = 0; j < dimension; j++)
            {
                target[j] = magnitude == 0 ? (sbyte)0 : (sbyte)MathF.Round(row[j] / magnitude * 127f);
            }
        }
    }

    public Guid[] Ids { get; }

    /// <summary>The document of each chunk, for filters.</summary>
    public Guid[] DocumentIds { get; }

    public int Dimension { get; }

    public int Count => Ids.Length;

    /// <summary>The <paramref name="count"/> chunks most similar to <paramref name="query"/>, best first, among the rows whose document <paramref name="allowed"/> accepts (all when null).</summary>
    public IReadOnlyList<(Guid ChunkId, float Score)> Nearest(float[] query, int count, Func<Guid, bool>? allowed = null)
    {
        if (Count > 0 && query.Length != Dimension)
        {
            throw new InvalidOperationException($"the query vector has {query.Length} dimensions, the index {Dimension}");
        }

        if (Count == 0 || count <= 0)
        {
            return [];
        }

        var (query16, queryScale) = QuantizeQuery(query);
        var candidates = Top(count * Oversampling, i => Dot(quantized.AsSpan(i * Dimension, Dimension), query16) * rowScale[i] * queryScale, allowed);

        return Exact(candidates, query, count);
    }

    /// <summary>The exact top <paramref name="count"/> by float dot product over every row: the reference the tests hold the fast path to.</summary>
    public IReadOnlyList<(Guid ChunkId, float Score)> NearestExact(float[] query, int count) =>
        Exact(Top(count, i => TensorPrimitives.Dot(vectors.AsSpan(i * Dimension, Dimension), query), null), query, count);

    /// <summary>The rows scored with the float dot product, best first (ties by row), at most <paramref name="count"/>.</summary>
    private List<(Guid ChunkId, float Score)> Exact(List<int> rows, float[] query, int count) =>
        rows.Select(row => (Row: row, Score: TensorPrimitives.Dot(vectors.AsSpan(row * Dimension, Dimension), query)))
            .OrderByDescending(r => r.Score).ThenBy(r => r.Row)
            .Take(count).Select(r => (Ids[r.Row], r.Score)).ToList();

    /// <summary>Integer dot product of an 8-bit row with a 16-bit query: AVX2 multiply-add of pairs when the CPU has it, portable vectors otherwise.</summary>
    internal static int Dot(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query) =>
        Avx2.IsSupported ? DotAvx2(row, query) : DotPortable(row, query);

    internal static int DotAvx2(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var q = ref MemoryMarshal.GetReference(query);
        var sum = Vector256<int>.Zero;
        var j = 0;
        for (; j + Vector256<short>.Count <= row.Length; j += Vector256<short>.Count)
        {
            var widened = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)j));
            sum = Avx2.Add(sum, Avx2.MultiplyAddAdjacent(widened, Vector256.LoadUnsafe(ref q, (nuint)j)));
        }

        return Vector256.Sum(sum) + Tail(row, query, j);
    }

    internal static int DotPortable(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var q = ref MemoryMarshal.GetReference(query);
        var sum = Vector128<int>.Zero;
        var j = 0;
        for (; j + Vector128<sbyte>.Count <= row.Length; j += Vector128<sbyte>.Count)
        {
            var (low, high) = Vector128.Widen(Vector128.LoadUnsafe(ref r, (nuint)j));
            var q0 = Vector128.LoadUnsafe(ref q, (nuint)j);
            var q1 = Vector128.LoadUnsafe(ref q, (nuint)(j + Vector128<short>.Count));
            sum += Product(low, q0) + Product(high, q1);
        }

        return Vector128.Sum(sum) + Tail(row, query, j);

        static Vector128<int> Product(Vector128<short> a, Vector128<short> b)
        {
            var (a0, a1) = Vector128.Widen(a);
            var (b0, b1) = Vector128.Widen(b);
            return (a0 * b0) + (a1 * b1);
        }
    }

    /// <summary>
    /// The query at 16 bits (largest component ±32,767): with rows at ±127 a sum over even 384 coordinates stays below
    /// 2³¹. Returns the factor that turns the integer dot back into the query's scale.
    /// </summary>
    internal static (short[] Values, float Scale) QuantizeQuery(float[] query)
    {
        var magnitude = query.Length == 0 ? 0 : MathF.Abs(TensorPrimitives.MaxMagnitude(query));
        var values = new short[query.Length];
        if (magnitude == 0)
        {
            return (values, 0);
        }

        // Keep 127 × 32,767 × dimension inside an int: shrink the query's range for very wide vectors.
        var limit = (float)Math.Min(short.MaxValue, Math.Floor(int.MaxValue / (127.0 * Math.Max(1, query.Length))));
        for (var j = 0; j < query.Length; j++)
        {
            values[j] = (short)MathF.Round(query[j] / magnitude * limit);
        }

        return (values, magnitude / limit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Tail(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query, int from)
    {
        var sum = 0;
        for (var j = from; j < row.Length; j++)
        {
            sum += row[j] * query[j];
        }

        return sum;
    }

    /// <summary>Rows of the <paramref name="count"/> highest scores, by a bounded min-heap: O(n log k), no sort of all n.</summary>
    private List<int> Top(int count, Func<int, float> score, Func<Guid, bool>? allowed)
    {
        var top = Math.Min(count, Count);
        var heap = new PriorityQueue<int, float>(top + 1);
        for (var i = 0; i < Count; i++)
        {
            if (allowed is not null && !allowed(DocumentIds[i]))
            {
                continue;
            }

            var s = score(i);
            if (heap.Count < top)
            {
                heap.Enqueue(i, s);
            }
            else if (top > 0 && heap.TryPeek(out _, out var lowest) && s > lowest)
            {
                heap.DequeueEnqueue(i, s);
            }
        }

        var rows = new List<int>(heap.Count);
        while (heap.TryDequeue(out var i, out _))
        {
            rows.Add(i);
        }

        return rows;
    }
}
