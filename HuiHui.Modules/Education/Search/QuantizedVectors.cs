using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace HuiHui.Modules.Education.Search;

/// <summary>
/// The chunk vectors of one embedding model, held twice: the unit-length floats row by row (for exact scores), and an
/// 8-bit copy stored dimension by dimension (each row scaled so its largest component is ±127) for the scan.
/// <para>
/// A search accumulates, block by block of rows, the integer products of the query's <em>non-zero</em> dimensions only:
/// a short query under the built-in hashed n-gram model touches ~30–60 of 384 dimensions, so a scan of 100,000 chunks reads
/// a few megabytes instead of the 150 MB of all floats; a dense query (an external model) reads the 8-bit copy once, a
/// quarter of the floats. The best <see cref="Oversampling"/> × k by that approximate cosine are rescored with the exact
/// float dot product. The result is the exact top k unless a vector belongs there but the 8-bit error (≤ 0.4 % of a row's
/// largest component per coordinate) pushed it below rank 2k; the tests hold it to an exact scan.
/// </para>
/// </summary>
internal sealed class QuantizedVectors
{
    /// <summary>How many approximate candidates per requested neighbour are rescored exactly.</summary>
    public const int Oversampling = 2;

    /// <summary>Rows scored together: their integer accumulators (8 KB) stay in the L1 cache across the query's dimensions.</summary>
    private const int Block = 2048;

    private readonly float[] vectors;   // row-major, Count × Dimension
    private readonly sbyte[] columns;   // dimension-major, Dimension × Count
    private readonly float[] rowScale;  // max |x| / 127 of each row: approximate dot = integer dot × rowScale × query scale

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
        var n = ids.Length;
        columns = new sbyte[vectors.Length];
        rowScale = new float[n];
        for (var i = 0; i < n; i++)
        {
            var row = vectors.AsSpan(i * dimension, dimension);
            var magnitude = row.IsEmpty ? 0 : MathF.Abs(TensorPrimitives.MaxMagnitude(row));
            rowScale[i] = magnitude / 127f;
            for (var j = 0; j < dimension; j++)
            {
                columns[(j * n) + i] = magnitude == 0 ? (sbyte)0 : (sbyte)MathF.Round(row[j] / magnitude * 127f);
            }
        }
    }

    public Guid[] Ids { get; }

    /// <summary>The document of each chunk, for filters.</summary>
    public Guid[] DocumentIds { get; }

    public int Dimension { get; }

    public int Count => Ids.Length;

    /// <summary>
    /// The <paramref name="count"/> chunks most similar to <paramref name="query"/>, best first, among the rows whose
    /// document <paramref name="allowed"/> accepts (all when null). Only positive similarities count as neighbours: a
    /// query with nothing in common with a chunk (or an empty one, e.g. only stop words) finds nothing here.
    /// </summary>
    public IReadOnlyList<(Guid ChunkId, float Score)> Nearest(float[] query, int count, Func<Guid, bool>? allowed = null)
    {
        CheckDimension(query);
        if (Count == 0 || count <= 0)
        {
            return [];
        }

        var (query16, queryScale) = QuantizeQuery(query);
        var dimensions = Enumerable.Range(0, Dimension).Where(j => query16[j] != 0).ToArray();
        if (dimensions.Length == 0)
        {
            return [];
        }

        var top = new BoundedTop(count * Oversampling);
        var sums = new int[Block];
        var n = Count;
        for (var start = 0; start < n; start += Block)
        {
            var length = Math.Min(Block, n - start);
            var block = sums.AsSpan(0, length);
            block.Clear();
            foreach (var j in dimensions)
            {
                MultiplyAdd(block, columns.AsSpan((j * n) + start, length), query16[j]);
            }

            for (var r = 0; r < length; r++)
            {
                var row = start + r;
                var score = block[r] * rowScale[row] * queryScale;
                if (score > top.Threshold && (allowed is null || allowed(DocumentIds[row])))
                {
                    top.Offer(row, score);
                }
            }
        }

        return Exact(top.Rows(), query, count);
    }

    /// <summary>The exact top <paramref name="count"/> by float dot product over every row: the reference the tests hold the fast path to.</summary>
    public IReadOnlyList<(Guid ChunkId, float Score)> NearestExact(float[] query, int count)
    {
        CheckDimension(query);
        var top = new BoundedTop(count);
        for (var i = 0; i < Count; i++)
        {
            top.Offer(i, TensorPrimitives.Dot(vectors.AsSpan(i * Dimension, Dimension), query));
        }

        return Exact(top.Rows(), query, count);
    }

    /// <summary><paramref name="sums"/>[r] += <paramref name="weight"/> × <paramref name="column"/>[r], with hardware-sized vectors (AVX2, NEON) and a scalar tail.</summary>
    internal static void MultiplyAdd(Span<int> sums, ReadOnlySpan<sbyte> column, short weight)
    {
        var w = new Vector<int>(weight);
        var sumVectors = MemoryMarshal.Cast<int, Vector<int>>(sums);
        var r = 0;
        for (var v = 0; r + Vector<sbyte>.Count <= column.Length; r += Vector<sbyte>.Count, v += 4)
        {
            Vector.Widen(new Vector<sbyte>(column[r..]), out var low, out var high);
            Vector.Widen(low, out var a, out var b);
            Vector.Widen(high, out var c, out var d);
            sumVectors[v] += a * w;
            sumVectors[v + 1] += b * w;
            sumVectors[v + 2] += c * w;
            sumVectors[v + 3] += d * w;
        }

        for (; r < column.Length; r++)
        {
            sums[r] += column[r] * weight;
        }
    }

    /// <summary>
    /// The query at 16 bits (largest component ±32,767, less for very wide vectors so that 127 × it × dimension stays
    /// below 2³¹). Returns the factor that turns an integer dot back into the query's scale.
    /// </summary>
    internal static (short[] Values, float Scale) QuantizeQuery(float[] query)
    {
        var magnitude = query.Length == 0 ? 0 : MathF.Abs(TensorPrimitives.MaxMagnitude(query));
        var values = new short[query.Length];
        if (magnitude == 0)
        {
            return (values, 0);
        }

        var limit = (float)Math.Min(short.MaxValue, Math.Floor(int.MaxValue / (127.0 * Math.Max(1, query.Length))));
        for (var j = 0; j < query.Length; j++)
        {
            values[j] = (short)MathF.Round(query[j] / magnitude * limit);
        }

        return (values, magnitude / limit);
    }

    private void CheckDimension(float[] query)
    {
        if (Count > 0 && query.Length != Dimension)
        {
            throw new InvalidOperationException($"the query vector has {query.Length} dimensions, the index {Dimension}");
        }
    }

    /// <summary>The rows with a positive float dot product, best first (ties by row), at most <paramref name="count"/>.</summary>
    private List<(Guid ChunkId, float Score)> Exact(List<int> rows, float[] query, int count) =>
        rows.Select(row => (Row: row, Score: TensorPrimitives.Dot(vectors.AsSpan(row * Dimension, Dimension), query)))
            .Where(r => r.Score > 0)
            .OrderByDescending(r => r.Score).ThenBy(r => r.Row)
            .Take(count).Select(r => (Ids[r.Row], r.Score)).ToList();

    /// <summary>The rows of the k highest scores offered, by a bounded min-heap: O(n log k), no sort of all n.</summary>
    private sealed class BoundedTop(int capacity)
    {
        private readonly PriorityQueue<int, float> heap = new(capacity + 1);

        /// <summary>The score an offer must beat to enter: the lowest kept once full, −∞ before.</summary>
        public float Threshold { get; private set; } = float.NegativeInfinity;

        public void Offer(int row, float score)
        {
            if (capacity <= 0 || score <= Threshold)
            {
                return;
            }

            if (heap.Count < capacity)
            {
                heap.Enqueue(row, score);
            }
            else
            {
                heap.DequeueEnqueue(row, score);
            }

            if (heap.Count == capacity && heap.TryPeek(out _, out var lowest))
            {
                Threshold = lowest;
            }
        }

        public List<int> Rows()
        {
            var rows = new List<int>(heap.Count);
            while (heap.TryDequeue(out var row, out _))
            {
                rows.Add(row);
            }

            return rows;
        }
    }
}
