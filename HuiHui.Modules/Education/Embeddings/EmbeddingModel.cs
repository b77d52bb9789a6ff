using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;
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

    /// <summary>Where the local model's rewritten graph is kept between starts (relative to the working directory); empty: nowhere.</summary>
    public string GraphCachePath { get; set; } = ".data/models";

    /// <summary>Query embeddings kept for repeated questions.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1_000_000)]
    public int QueryCacheEntries { get; set; } = 2048;
}

/// <summary>
/// The embedding model in use, behind <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>: the local sentence model by
/// default, the hashed model or an endpoint when configured (<see cref="EmbeddingOptions"/>). Its <see cref="ModelId"/> is
/// stored with each vector; a document whose chunks have no vector under the current model is re-embedded on ingest.
/// Passages and queries are embedded apart (<see cref="EmbedAsync"/>, <see cref="EmbedQueryAsync"/>): the local model puts
/// its query instruction in front of a query; a query's vector is cached for repeats. One instance per process (singleton).
/// </summary>
internal sealed class EmbeddingModel : IDisposable
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> generator;
    private readonly MemoryCache queries;

    public EmbeddingModel(IOptions<EducationOptions> options)
    {
        var settings = options.Value.Embeddings;
        queries = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, settings.QueryCacheEntries) });
        if (settings.Endpoint is { } endpoint && !string.IsNullOrWhiteSpace(settings.Model))
        {
            var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrWhiteSpace(settings.ApiKey) ? "not-needed" : settings.ApiKey), new OpenAIClientOptions { Endpoint = endpoint });
            generator = client.GetEmbeddingClient(settings.Model).AsIEmbeddingGenerator();
            ModelId = settings.Model;
        }
        else if (string.Equals(settings.Model, HashedNgramEmbeddingGenerator.ModelId, StringComparison.OrdinalIgnoreCase))
        {
            generator = new HashedNgramEmbeddingGenerator();
            ModelId = HashedNgramEmbeddingGenerator.ModelId;
        }
        else if (string.IsNullOrWhiteSpace(settings.Model) || string.Equals(settings.Model, SentenceEmbeddingGenerator.Int8ModelId, StringComparison.OrdinalIgnoreCase))
        {
            generator = new SentenceEmbeddingGenerator(settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount, graphCache: GraphCache(settings));
            ModelId = SentenceEmbeddingGenerator.Int8ModelId;
        }
        else if (string.Equals(settings.Model, SentenceEmbeddingGenerator.ModelId, StringComparison.OrdinalIgnoreCase))
        {
            generator = new SentenceEmbeddingGenerator(settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount, int8Weights: false, GraphCache(settings));
            ModelId = SentenceEmbeddingGenerator.ModelId;
        }
        else
        {
            throw new OptionsValidationException(nameof(EmbeddingOptions), typeof(EmbeddingOptions),
                [$"HuiHui:Education:Embeddings:Model '{settings.Model}' is not a local model ({SentenceEmbeddingGenerator.Int8ModelId}, {SentenceEmbeddingGenerator.ModelId}, {HashedNgramEmbeddingGenerator.ModelId}); set Endpoint to use it from a server"]);
        }
    }

    public string ModelId { get; }

    private static string? GraphCache(EmbeddingOptions settings) => string.IsNullOrWhiteSpace(settings.GraphCachePath) ? null : settings.GraphCachePath;

    /// <summary>Passage vectors (chunks as stored).</summary>
    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        return embeddings.Select(e => e.Vector.ToArray()).ToArray();
    }

    /// <summary>A search query's vector (with the model's query instruction where it has one), cached for repeats.</summary>
    public async Task<float[]> EmbedQueryAsync(string query, CancellationToken cancellationToken)
    {
        if (queries.TryGetValue(query, out float[]? cached))
        {
            return cached!;
        }

        var vector = generator is SentenceEmbeddingGenerator local
            ? local.EmbedQueries([query], cancellationToken)[0]
            : (await EmbedAsync([query], cancellationToken))[0];
        queries.Set(query, vector, new MemoryCacheEntryOptions { Size = 1 });
        return vector;
    }

    public void Dispose()
    {
        generator.Dispose();
        queries.Dispose();
    }
}
