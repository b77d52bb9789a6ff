using FluentValidation;
using HuiHui.Modules.Education.Contracts;
using HuiHui.Modules.Education.Data;
using HuiHui.Modules.Education.Embeddings;
using HuiHui.Modules.Education.Search;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Education.Features;

internal sealed class SearchDocumentsValidator : AbstractValidator<SearchDocuments>
{
    public SearchDocumentsValidator()
    {
        RuleFor(q => q.Query).NotEmpty().MaximumLength(1000);
        RuleFor(q => q.K).InclusiveBetween(1, 100);
    }
}

/// <summary>
/// Hybrid retrieval: PostgreSQL full-text ranking (<c>websearch_to_tsquery</c>, <c>ts_rank_cd</c> over at most 2,000
/// matches, top 50) and vector cosine similarity (in memory, top 200), fused by reciprocal rank — score = Σ 1 / (60 + rank)
/// over the two lists. Tag and type filters pick the eligible documents first and both halves search only those; the
/// highlighted snippet is made for the returned passages only.
/// </summary>
internal sealed class SearchDocumentsHandler(EducationDbContext db, VectorIndex index, EmbeddingModel model) : IQueryHandler<SearchDocuments, SearchResults>
{
    private const int FusionK = 60;
    private const int MaxRanked = 2000;

    public async ValueTask<SearchResults> Handle(SearchDocuments query, CancellationToken cancellationToken)
    {
        var tags = (query.Tags ?? []).Select(t => t.ToLowerInvariant()).ToArray();
        var types = (query.Types ?? []).ToArray();
        var text = query.Query;

        var filtered = tags.Length > 0 || types.Length > 0;
        Guid[] eligible = [];
        if (filtered)
        {
            eligible = await db.Documents.AsNoTracking()
                .Where(d => (tags.Length == 0 || d.Tags.Any(t => tags.Contains(t))) && (types.Length == 0 || types.Contains(d.DocType)))
                .Select(d => d.Id).ToArrayAsync(cancellationToken);
            if (eligible.Length == 0)
            {
                return new SearchResults(text, []);
            }
        }

        var allowed = filtered ? eligible.ToHashSet().Contains : (Func<Guid, bool>?)null;

        // The vector half runs on this process's CPU while PostgreSQL ranks the full-text half: the two overlap.
        var vectorHalf = Task.Run(async () => await index.NearestAsync((await model.EmbedAsync([text], cancellationToken))[0], 200, allowed, cancellationToken), cancellationToken);

        // Ranking is computed for at most MaxRanked matches (a query matching most of a huge corpus would otherwise rank
        // every row); the vector half still sees every eligible chunk.
        var fullText = await db.Database.SqlQuery<Guid>(
            $"""
            WITH q AS (SELECT websearch_to_tsquery('english', {text}) AS query),
            matches AS (
                SELECT c.id, c.search_vector
                FROM education.chunks c, q
                WHERE c.search_vector @@ q.query
                  AND ({filtered} = false OR c.document_id = ANY({eligible}))
                LIMIT {MaxRanked})
            SELECT m.id AS "Value" FROM matches m, q
            ORDER BY ts_rank_cd(m.search_vector, q.query) DESC, m.id
            LIMIT 50
            """).ToListAsync(cancellationToken);
        var nearest = await vectorHalf;

        var fused = new Dictionary<Guid, double>();
        for (var rank = 0; rank < fullText.Count; rank++)
        {
            fused[fullText[rank]] = fused.GetValueOrDefault(fullText[rank]) + 1.0 / (FusionK + rank + 1);
        }

        for (var rank = 0; rank < nearest.Count; rank++)
        {
            fused[nearest[rank].ChunkId] = fused.GetValueOrDefault(nearest[rank].ChunkId) + 1.0 / (FusionK + rank + 1);
        }

        // A few spare candidates in case a chunk was replaced since the vectors were loaded; snippets only for the K kept.
        var candidates = fused.OrderByDescending(f => f.Value).ThenBy(f => f.Key).Take(query.K * 2).Select(f => f.Key).ToArray();
        var rows = await db.Database.SqlQuery<PassageRow>(
            $"""
            WITH wanted AS (SELECT w.id, w.ord FROM unnest({candidates}::uuid[]) WITH ORDINALITY AS w(id, ord)),
            kept AS (
                SELECT c.id, c.document_id, c.location, c.content, wanted.ord
                FROM wanted JOIN education.chunks c ON c.id = wanted.id
                ORDER BY wanted.ord
                LIMIT {query.K})
            SELECT k.id AS chunk_id, d.title, d.uri, k.location, k.content, k.ord,
                   ts_headline('english', k.content, websearch_to_tsquery('english', {text}), 'StartSel=<mark>, StopSel=</mark>, MaxWords=40, MinWords=15, MaxFragments=2') AS snippet
            FROM kept k JOIN education.documents d ON d.id = k.document_id
            ORDER BY k.ord
            """).ToListAsync(cancellationToken);
        var passages = rows.Select(r => new Passage(r.ChunkId, r.Title, r.Uri, r.Location, r.Snippet, r.Content, fused[r.ChunkId])).ToList();
        return new SearchResults(text, passages);
    }

    private sealed record PassageRow(Guid ChunkId, string Title, string Uri, string Location, string Content, long Ord, string Snippet);
}
