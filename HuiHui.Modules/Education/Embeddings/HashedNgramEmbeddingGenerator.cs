using System.Numerics.Tensors;
using System.Text;
using Microsoft.Extensions.AI;

namespace HuiHui.Modules.Education.Embeddings;

/// <summary>
/// The built-in embedding model: no network, no model file. Each text becomes counts of its words, word pairs and
/// character trigrams (within words), weighted 1.0 / 0.7 / 0.3 with sublinear term frequency (1 + ln tf), hashed
/// (FNV-1a, signed) into <see cref="Dimension"/> buckets and L2-normalised, so cosine similarity is a dot product.
/// Limits: it matches vocabulary and spelling, not meaning (no synonyms unless they share trigrams); rare words get no
/// extra weight — the full-text half of the hybrid search (PostgreSQL ranking) covers that.
/// </summary>
internal sealed class HashedNgramEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimension = 384;
    public const string ModelId = "huihui-hashed-ngram-384-v1";

    private static readonly HashSet<string> StopWords =
        ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or", "that", "the", "this", "to", "with", "what", "how", "when", "which", "do", "does"];

    public EmbeddingGeneratorMetadata Metadata { get; } = new("huihui-local", null, ModelId, Dimension);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            result.Add(new Embedding<float>(Embed(value)) { ModelId = ModelId });
        }

        return Task.FromResult(result);
    }

    public static float[] Embed(string text)
    {
        var counts = new Dictionary<(int Bucket, float Weight), int>();
        var words = Words(text);
        for (var i = 0; i < words.Count; i++)
        {
            Add(counts, words[i], 1.0f);
            if (i > 0)
            {
                Add(counts, words[i - 1] + " " + words[i], 0.7f);
            }

            var padded = "#" + words[i] + "#";
            for (var j = 0; j + 3 <= padded.Length; j++)
            {
                Add(counts, padded.Substring(j, 3), 0.3f);
            }
        }

        var vector = new float[Dimension];
        foreach (var ((bucket, weight), tf) in counts)
        {
            var signed = bucket < 0 ? -1 : 1;
            vector[Math.Abs(bucket) % Dimension] += signed * weight * (1 + MathF.Log(tf));
        }

        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private static void Add(Dictionary<(int, float), int> counts, string feature, float weight)
    {
        var hash = Hash(feature);
        var key = ((hash & 0x80000000) != 0 ? -(int)(hash & 0x7FFFFFFF) - 1 : (int)(hash & 0x7FFFFFFF), weight);
        counts[key] = counts.GetValueOrDefault(key) + 1;
    }

    private static uint Hash(string feature)
    {
        var h = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(feature))
        {
            h = (h ^ b) * 16777619u;
        }

        return h;
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (current.Length > 0)
            {
                Flush();
            }
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0 && !StopWords.Contains(current.ToString()))
            {
                words.Add(current.ToString());
            }

            current.Clear();
        }
    }
}
