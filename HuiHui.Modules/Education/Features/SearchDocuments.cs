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
/// Hybrid retrieval: PostgreSQL full-text ranking (<c>websearch_to_tsquery</c>, <c>ts_rank_cd</c>, top 50) and vector
/// cosine similarity (in memory, top 200), fused by reciprocal rank — score = Σ 1 / (60 + rank) over the two lists —
/// then filtered by tag and type, with a highlighted snippet per passage.
/// </summary>
internal sealed class SearchDocumentsHandler(EducationDbContext db, VectorIndex index) : IQueryHandler<SearchDocuments, SearchResults>
{
    private const int FusionK = 60;

    public async ValueTask<SearchResults> Handle(SearchDocuments query, CancellationToken cancellationToken)
    {
        var tags = (query.Tags ?? []).Select(t => t.ToLowerInvariant()).ToArray();
        var types = (query.Types ?? []).Select(t => t.ToString()).ToArray();
        var text = query.Query;

        var fullText = await db.Database.SqlQuery<Guid>(
            $"""
            SELECT c.id AS "Value"
            FROM education.chunks c JOIN education.documents d ON d.id = c.document_id, websearch_to_tsquery('english', {text}) q
            WHERE c.search_vector @@ q
              AND (cardinality({tags}::text[]) = 0 OR d.tags && {tags}::text[])
              AND (cardinality({types}::text[]) = 0 OR d.doc_type = ANY({types}::text[]))
            ORDER BY ts_rank_cd(c.search_vector, q) DESC, c.id
            LIMIT 50
            """).ToListAsync(cancellationToken);
        var nearest = await index.NearestAsync(HashedNgramEmbeddingGenerator.Embed(text), 200, cancellationToken);

        var fused = new Dictionary<Guid, double>();
        for (var rank = 0; rank < fullText.Count; rank++)
        {
            fused[fullText[rank]] = fused.GetValueOrDefault(fullText[rank]) + 1.0 / (FusionK + rank + 1);
        }

        for (var rank = 0; rank < nearest.Count; rank++)
        {
            fused[nearest[rank].ChunkId] = fused.GetValueOrDefault(nearest[rank].ChunkId) + 1.0 / (FusionK + rank + 1);
        }

        var candidates = fused.OrderByDescending(f => f.Value).ThenBy(f => f.Key).Take(query.K * 4).Select(f => f.Key).ToArray();
        var rows = await db.Database.SqlQuery<PassageRow>(
            $"""
            SELECT c.id AS chunk_id, d.title, d.uri, c.location, c.content,
                   ts_headline('english', c.content, websearch_to_tsquery('english', {text}), 'StartSel=<mark>, StopSel=</mark>, MaxWords=40, MinWords=15, MaxFragments=2') AS snippet
            FROM education.chunks c JOIN education.documents d ON d.id = c.document_id
            WHERE c.id = ANY({candidates})
              AND (cardinality({tags}::text[]) = 0 OR d.tags && {tags}::text[])
              AND (cardinality({types}::text[]) = 0 OR d.doc_type = ANY({types}::text[]))
            """).ToListAsync(cancellationToken);
        var byId = rows.ToDictionary(r => r.ChunkId);
        var passages = candidates.Where(byId.ContainsKey).Take(query.K)
            .Select(id => byId[id] is var r ? new Passage(r.ChunkId, r.Title, r.Uri, r.Location, r.Snippet, r.Content, fused[id]) : null!)
            .ToList();
        return new SearchResults(text, passages);
    }

    private sealed record PassageRow(Guid ChunkId, string Title, string Uri, string Location, string Content, string Snippet);
}
