using System.Numerics.Tensors;
using HuiHui.Modules.Education.Data;
using HuiHui.Modules.Education.Embeddings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Education.Search;

/// <summary>
/// Every chunk vector of the current model, in memory as one contiguous float array, searched with SIMD dot products
/// (vectors are unit length, so a dot product is the cosine). Loaded on first use and reloaded after an ingest changed
/// the corpus (<see cref="Invalidate"/>).
/// </summary>
internal sealed class VectorIndex(IServiceScopeFactory scopes) : IDisposable
{
    private readonly SemaphoreSlim loading = new(1, 1);
    private volatile Snapshot? current;

    public void Invalidate() => current = null;

    public void Dispose() => loading.Dispose();

    public async Task<IReadOnlyList<(Guid ChunkId, float Score)>> NearestAsync(float[] query, int count, CancellationToken cancellationToken)
    {
        var index = await LoadAsync(cancellationToken);
        var n = index.Ids.Length;
        var scores = new float[n];
        var dimension = HashedNgramEmbeddingGenerator.Dimension;
        for (var i = 0; i < n; i++)
        {
            scores[i] = TensorPrimitives.Dot(index.Vectors.AsSpan(i * dimension, dimension), query);
        }

        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = (float[])scores.Clone();
        TensorPrimitives.Negate(keys, keys);
        Array.Sort(keys, order);
        var top = Math.Min(count, n);
        var result = new List<(Guid, float)>(top);
        for (var i = 0; i < top; i++)
        {
            result.Add((index.Ids[order[i]], scores[order[i]]));
        }

        return result;
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
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
            var rows = await db.Embeddings.AsNoTracking().Where(e => e.ModelId == HashedNgramEmbeddingGenerator.ModelId)
                .Select(e => new { e.ChunkId, e.Vector }).ToListAsync(cancellationToken);
            var dimension = HashedNgramEmbeddingGenerator.Dimension;
            var vectors = new float[rows.Count * dimension];
            var ids = new Guid[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                ids[i] = rows[i].ChunkId;
                rows[i].Vector.AsSpan(0, dimension).CopyTo(vectors.AsSpan(i * dimension));
            }

            return current = new Snapshot(ids, vectors);
        }
        finally
        {
            loading.Release();
        }
    }

    private sealed record Snapshot(Guid[] Ids, float[] Vectors);
}
