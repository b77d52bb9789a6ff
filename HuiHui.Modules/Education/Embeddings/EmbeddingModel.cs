using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace HuiHui.Modules.Education.Embeddings;

/// <summary><c>HuiHui:Education:Embeddings</c>: the built-in model, or an OpenAI-compatible endpoint (Ollama: <c>http://127.0.0.1:11434/v1</c>).</summary>
internal sealed class EmbeddingOptions
{
    public Uri? Endpoint { get; set; }

    /// <summary>The endpoint's model, e.g. <c>nomic-embed-text</c>; stored with every vector.</summary>
    public string? Model { get; set; }

    public string? ApiKey { get; set; }
}

/// <summary>
/// The embedding model in use, behind <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>: the built-in
/// <see cref="HashedNgramEmbeddingGenerator"/> unless an endpoint and model are configured. Its <see cref="ModelId"/> is
/// stored with each vector; a document whose chunks have no vector under the current model is re-embedded on ingest.
/// </summary>
internal sealed class EmbeddingModel : IDisposable
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> generator;

    public EmbeddingModel(IOptions<EducationOptions> options)
    {
        var settings = options.Value.Embeddings;
        if (settings.Endpoint is { } endpoint && !string.IsNullOrWhiteSpace(settings.Model))
        {
            var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrWhiteSpace(settings.ApiKey) ? "not-needed" : settings.ApiKey), new OpenAIClientOptions { Endpoint = endpoint });
            generator = client.GetEmbeddingClient(settings.Model).AsIEmbeddingGenerator();
            ModelId = settings.Model;
        }
        else
        {
            generator = new HashedNgramEmbeddingGenerator();
            ModelId = HashedNgramEmbeddingGenerator.ModelId;
        }
    }

    public string ModelId { get; }

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        return embeddings.Select(e => e.Vector.ToArray()).ToArray();
    }

    public void Dispose() => generator.Dispose();
}
