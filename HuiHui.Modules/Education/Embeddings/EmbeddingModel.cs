using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;

namespace HuiHui.Modules.Education.Embeddings;

/// <summary>
/// <c>HuiHui:Education:Embeddings</c>: which model embeds the corpus. <see cref="Model"/> unset means the local sentence model
/// with int8 weights (<see cref="SentenceEmbeddingGenerator.Int8ModelId"/>); <c>snowflake-arctic-embed-xs</c> the same model
/// with its float weights; <c>huihui-hashed-ngram-384-v1</c> picks the fast built-in hashed model;
/// with an <see cref="Endpoint"/>, any model an OpenAI-compatible server offers (Ollama: <c>http://127.0.0.1:11434/v1</c>).
/// </summary>
internal sealed class EmbeddingOptions
{
    public Uri? Endpoint { get; set; }

    /// <summary>The model, stored with every vector; switching re-embeds the corpus on the next ingest.</summary>
    public string? Model { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>ONNX Runtime threads for the local model (0: one per core).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 64)]
    public int Threads { get; set; }

    /// <summary>
    /// Where the local model's rewritten graph and its query vectors (<see cref="QueryVectorFile"/>) are kept between starts
    /// (relative to the working directory); empty: nowhere.
    /// </summary>
    public string GraphCachePath { get; set; } = ".data/models";

    /// <summary>
    /// The local model is let go after this long unused (0: kept for the life of the process). A new question after that
    /// loads it again (~0.3–0.5 s from the kept graph). A minute: a live hub, which embeds nothing once its warm-ups are done,
    /// holds the session (~45–60 MB resident) for the first minute after its start rather than the first ten
    /// (docs/performance.md, "Seventh pass").
    /// </summary>
    public TimeSpan IdleRelease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Query embeddings kept for repeated questions.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1_000_000)]
    public int QueryCacheEntries { get; set; } = 2048;
}

/// <summary>
/// The embedding model in use, behind <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>: the local sentence model by
/// default, the hashed model or an endpoint when configured (<see cref="EmbeddingOptions"/>). Its <see cref="ModelId"/> is
/// stored with each vector; a document whose chunks have no vector under the current model is re-embedded on ingest.
/// Passages and queries are embedded apart (<see cref="EmbedAsync"/>, <see cref="EmbedQueryAsync"/>): the local model puts
/// its query instruction in front of a query; a query's vector is cached for repeats — for the local model on disk too
/// (<see cref="QueryVectorFile"/>), so a later process answers a known question without loading the model. One instance per
/// process (singleton).
/// </summary>
internal sealed partial class EmbeddingModel : IDisposable
{
    private readonly Func<IEmbeddingGenerator<string, Embedding<float>>> create;
    private readonly MemoryCache queries;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly TimeSpan idleRelease;
    private readonly ITimer? releaser;
    private readonly Lock gate = new();
    /// <summary>The local model's query vectors on disk (null for the hashed model, an endpoint, or without a graph cache folder).</summary>
    private readonly QueryVectorFile? stored;
    private readonly Lazy<bool>? storedLoaded;
    private IEmbeddingGenerator<string, Embedding<float>>? loaded;
    private int inUse;
    private DateTimeOffset lastUsed;
    private long queriesEmbedded;

    public EmbeddingModel(IOptions<EducationOptions> options)
        : this(options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<EmbeddingModel>.Instance)
    {
    }

    [Microsoft.Extensions.DependencyInjection.ActivatorUtilitiesConstructor]
    public EmbeddingModel(IOptions<EducationOptions> options, TimeProvider time, ILogger<EmbeddingModel> logger)
    {
        var settings = options.Value.Embeddings;
        this.time = time;
        this.logger = logger;
        queries = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, settings.QueryCacheEntries) });
        var local = false;
        if (settings.Endpoint is { } endpoint && !string.IsNullOrWhiteSpace(settings.Model))
        {
            var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrWhiteSpace(settings.ApiKey) ? "not-needed" : settings.ApiKey), new OpenAIClientOptions { Endpoint = endpoint });
            var model = settings.Model;
            create = () => client.GetEmbeddingClient(model).AsIEmbeddingGenerator();
            ModelId = settings.Model;
        }
        else if (string.Equals(settings.Model, HashedNgramEmbeddingGenerator.ModelId, StringComparison.OrdinalIgnoreCase))
        {
            create = () => new HashedNgramEmbeddingGenerator();
            ModelId = HashedNgramEmbeddingGenerator.ModelId;
        }
        else if (string.IsNullOrWhiteSpace(settings.Model) || string.Equals(settings.Model, SentenceEmbeddingGenerator.Int8ModelId, StringComparison.OrdinalIgnoreCase))
        {
            create = () => new SentenceEmbeddingGenerator(settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount, graphCache: GraphCache(settings));
            ModelId = SentenceEmbeddingGenerator.Int8ModelId;
            idleRelease = settings.IdleRelease;
            local = true;
        }
        else if (string.Equals(settings.Model, SentenceEmbeddingGenerator.ModelId, StringComparison.OrdinalIgnoreCase))
        {
            create = () => new SentenceEmbeddingGenerator(settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount, int8Weights: false, GraphCache(settings));
            ModelId = SentenceEmbeddingGenerator.ModelId;
            idleRelease = settings.IdleRelease;
            local = true;
        }
        else
        {
            throw new OptionsValidationException(nameof(EmbeddingOptions), typeof(EmbeddingOptions),
                [$"HuiHui:Education:Embeddings:Model '{settings.Model}' is not a local model ({SentenceEmbeddingGenerator.Int8ModelId}, {SentenceEmbeddingGenerator.ModelId}, {HashedNgramEmbeddingGenerator.ModelId}); set Endpoint to use it from a server"]);
        }

        if (local && GraphCache(settings) is { } folder)
        {
            stored = new QueryVectorFile(folder, ModelId, SentenceEmbeddingGenerator.Dimension, settings.QueryCacheEntries);
            storedLoaded = new Lazy<bool>(LoadStoredQueries, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        if (idleRelease > TimeSpan.Zero)
        {
            var every = idleRelease / 4 < TimeSpan.FromMinutes(1) ? idleRelease / 4 : TimeSpan.FromMinutes(1);
            releaser = time.CreateTimer(_ => ReleaseIfIdle(), null, every, every);
        }
    }

    /// <summary>The local model is in memory now (it loads on first use and is let go after <see cref="EmbeddingOptions.IdleRelease"/>).</summary>
    public bool IsLoaded
    {
        get
        {
            lock (gate)
            {
                return loaded is not null;
            }
        }
    }

    public string ModelId { get; }

    /// <summary>Questions this process ran through the model (neither cache held their vector).</summary>
    public long QueriesEmbedded => Interlocked.Read(ref queriesEmbedded);

    private static string? GraphCache(EmbeddingOptions settings) => string.IsNullOrWhiteSpace(settings.GraphCachePath) ? null : settings.GraphCachePath;

    /// <summary>Passage vectors (chunks as stored).</summary>
    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var generator = Acquire();
        try
        {
            var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
            return embeddings.Select(e => e.Vector.ToArray()).ToArray();
        }
        finally
        {
            Release();
        }
    }

    /// <summary>A search query's vector (with the model's query instruction where it has one), cached for repeats.</summary>
    public async Task<float[]> EmbedQueryAsync(string query, CancellationToken cancellationToken)
    {
        if (queries.TryGetValue(query, out float[]? cached) || (storedLoaded is { Value: true } && queries.TryGetValue(query, out cached)))
        {
            return cached!;
        }

        float[] vector;
        var generator = Acquire();
        try
        {
            vector = generator is SentenceEmbeddingGenerator local
                ? local.EmbedQueries([query], cancellationToken)[0]
                : (await generator.GenerateAsync([query], cancellationToken: cancellationToken))[0].Vector.ToArray();
        }
        finally
        {
            Release();
        }

        Interlocked.Increment(ref queriesEmbedded);
        queries.Set(query, vector, new MemoryCacheEntryOptions { Size = 1 });
        stored?.Append(query, vector);
        return vector;
    }

    /// <summary>
    /// Loads the model and runs one query through it, whatever the caches hold (the hub's start: a question its stored vectors
    /// do not answer then costs no load in the middle of a cycle). The stored vectors are read too.
    /// </summary>
    public async Task WarmAsync(string probe, CancellationToken cancellationToken)
    {
        _ = storedLoaded?.Value;
        var generator = Acquire();
        try
        {
            _ = generator is SentenceEmbeddingGenerator local
                ? local.EmbedQueries([probe], cancellationToken)[0]
                : (await generator.GenerateAsync([probe], cancellationToken: cancellationToken))[0].Vector.ToArray();
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Reads the stored query vectors into the query cache (once, at the first question the cache does not hold).</summary>
    private bool LoadStoredQueries()
    {
        var entries = stored!.Load();
        foreach (var (query, vector) in entries)
        {
            queries.Set(query, vector, new MemoryCacheEntryOptions { Size = 1 });
        }

        if (entries.Count > 0)
        {
            LogStoredQueries(logger, entries.Count, stored.Folder);
        }

        return true;
    }

    /// <summary>The model, loaded on first use (callers during a load wait for it); pair with <see cref="Release"/>.</summary>
    private IEmbeddingGenerator<string, Embedding<float>> Acquire()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(inUse < 0, this);
            if (loaded is null)
            {
                var started = time.GetTimestamp();
                loaded = create();
                if (idleRelease > TimeSpan.Zero)
                {
                    LogLoaded(logger, ModelId, time.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            inUse++;
            return loaded;
        }
    }

    private void Release()
    {
        lock (gate)
        {
            inUse--;
            lastUsed = time.GetUtcNow();
        }
    }

    /// <summary>
    /// Lets the local model go when nothing used it for <see cref="EmbeddingOptions.IdleRelease"/>: its ONNX Runtime session
    /// holds ~45 MB that a live hub, whose citation topics repeat (their vectors are cached), would otherwise keep for good.
    /// </summary>
    internal void ReleaseIfIdle()
    {
        IDisposable? idle = null;
        lock (gate)
        {
            if (loaded is not null && inUse == 0 && time.GetUtcNow() - lastUsed >= idleRelease)
            {
                idle = loaded;
                loaded = null;
            }
        }

        if (idle is not null)
        {
            idle.Dispose();
            LogReleased(logger, ModelId, idleRelease.TotalMinutes);
        }
    }

    public void Dispose()
    {
        releaser?.Dispose();
        lock (gate)
        {
            loaded?.Dispose();
            loaded = null;
            inUse = -1;
        }

        queries.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedding model {Model} loaded in {Milliseconds:F0} ms")]
    private static partial void LogLoaded(ILogger logger, string model, double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} stored query vectors read from {Folder}")]
    private static partial void LogStoredQueries(ILogger logger, int count, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedding model {Model} let go after {Minutes} min unused; the next new question loads it again")]
    private static partial void LogReleased(ILogger logger, string model, double minutes);
}
