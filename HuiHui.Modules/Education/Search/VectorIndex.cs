using HuiHui.Modules.Education.Embeddings;
using Npgsql;

namespace HuiHui.Modules.Education.Search;

/// <summary>
/// Every chunk vector of the current embedding model, in memory (<see cref="QuantizedVectors"/>: an 8-bit scan, exact
/// rescoring). Loaded on first use and reloaded after an ingest changed the corpus (<see cref="Invalidate"/>).
/// </summary>
internal sealed class VectorIndex(NpgsqlDataSource dataSource, EmbeddingModel model) : IDisposable
{
    private readonly SemaphoreSlim loading = new(1, 1);
    private volatile QuantizedVectors? current;

    public void Invalidate() => current = null;

    public void Dispose() => loading.Dispose();

    /// <summary>The <paramref name="count"/> nearest chunks, best first, among those of the documents <paramref name="allowed"/> accepts (all when null).</summary>
    public async Task<IReadOnlyList<(Guid ChunkId, float Score)>> NearestAsync(float[] query, int count, Func<Guid, bool>? allowed, CancellationToken cancellationToken) =>
        (await LoadAsync(cancellationToken)).Nearest(query, count, allowed);

    private async Task<QuantizedVectors> LoadAsync(CancellationToken cancellationToken)
    {
        if (current is { } ready)
        {
            return ready;
        }

        await loading.WaitAsync(cancellationToken);
        try
        {
            if (current is { } loaded)
            {
                return loaded;
            }

            // Npgsql rather than EF: the vectors are read straight into one array, and a fresh process (a one-shot `analyze`
            // citing passages) skips EF's first-query set-up (~160 ms measured).
            await using var select = dataSource.CreateCommand(
                "SELECT e.chunk_id, c.document_id, e.vector FROM education.embeddings e JOIN education.chunks c ON c.id = e.chunk_id WHERE e.model_id = $1");
            select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = model.ModelId });
            var ids = new List<Guid>();
            var documents = new List<Guid>();
            var rows = new List<float[]>();
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    ids.Add(reader.GetGuid(0));
                    documents.Add(reader.GetGuid(1));
                    rows.Add(reader.GetFieldValue<float[]>(2));
                }
            }

            var dimension = rows.Count > 0 ? rows[0].Length : 0;
            var vectors = new float[rows.Count * dimension];
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i].AsSpan(0, dimension).CopyTo(vectors.AsSpan(i * dimension));
            }

            return current = new QuantizedVectors([.. ids], [.. documents], vectors, dimension);
        }
        finally
        {
            loading.Release();
        }
    }
}
