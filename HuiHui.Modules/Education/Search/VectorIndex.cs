using HuiHui.Modules.Education.Data;
using HuiHui.Modules.Education.Embeddings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Education.Search;

/// <summary>
/// Every chunk vector of the current embedding model, in memory (<see cref="QuantizedVectors"/>: an 8-bit scan, exact
/// rescoring). Loaded on first use and reloaded after an ingest changed the corpus (<see cref="Invalidate"/>).
/// </summary>
internal sealed class VectorIndex(IServiceScopeFactory scopes, EmbeddingModel model) : IDisposable
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

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EducationDbContext>();
            var rows = await (from e in db.Embeddings.AsNoTracking()
                              join c in db.Chunks on e.ChunkId equals c.Id
                              where e.ModelId == model.ModelId
                              select new { e.ChunkId, c.DocumentId, e.Vector }).ToListAsync(cancellationToken);
            var dimension = rows.Count > 0 ? rows[0].Vector.Length : 0;
            var vectors = new float[rows.Count * dimension];
            var ids = new Guid[rows.Count];
            var documents = new Guid[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                ids[i] = rows[i].ChunkId;
                documents[i] = rows[i].DocumentId;
                rows[i].Vector.AsSpan(0, dimension).CopyTo(vectors.AsSpan(i * dimension));
            }

            return current = new QuantizedVectors(ids, documents, vectors, dimension);
        }
        finally
        {
            loading.Release();
        }
    }
}
