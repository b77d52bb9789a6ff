using FluentValidation;
using HuiHui.Modules.Education.Contracts;
using HuiHui.Modules.Education.Embeddings;
using HuiHui.Modules.Education.Search;
using Mediator;
using Npgsql;

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
/// Hybrid retrieval. The vector half runs first, in memory (cosine similarity, top 200); then one PostgreSQL statement does
/// the rest: full-text ranking (<c>websearch_to_tsquery</c>, <c>ts_rank_cd</c> over at most 2,000 matches, top 50),
/// reciprocal-rank fusion of the two lists — score = Σ 1 / (60 + rank), ranks from 1 — and a highlighted snippet for the
/// K passages returned only. Tag and type filters pick the eligible documents first and both halves search only those.
/// Read with Npgsql rather than EF: an analysis cites passages, and EF's first raw query in a process maps its row type and
/// sets up the context (~200 ms measured), which a one-shot <c>analyze</c> paid at every run (docs/performance.md, "Thirteenth pass").
/// </summary>
internal sealed class SearchDocumentsHandler(NpgsqlDataSource dataSource, VectorIndex index, EmbeddingModel model) : IQueryHandler<SearchDocuments, SearchResults>
{
    private const int FusionK = 60;
    private const int MaxRanked = 2000;
    private const int TextRanks = 50;
    private const int VectorRanks = 200;

    public async ValueTask<SearchResults> Handle(SearchDocuments query, CancellationToken cancellationToken)
    {
        var tags = (query.Tags ?? []).Select(t => t.ToLowerInvariant()).ToArray();
        var types = (query.Types ?? []).Select(t => t.ToString()).ToArray(); // stored by name (EducationDbContext)
        var text = query.Query;

        var filtered = tags.Length > 0 || types.Length > 0;
        Guid[] eligible = [];
        if (filtered)
        {
            eligible = await EligibleAsync(tags, types, cancellationToken);
            if (eligible.Length == 0)
            {
                return new SearchResults(text, []);
            }
        }

        // In sequence, not overlapped with the statement below: on two shared cores running both at once was slower (measured).
        var allowed = filtered ? eligible.ToHashSet().Contains : (Func<Guid, bool>?)null;
        var vector = await model.EmbedQueryAsync(text, cancellationToken);
        var nearest = (await index.NearestAsync(vector, VectorRanks, allowed, cancellationToken)).Select(n => n.ChunkId).ToArray();

        // Ranking is computed for at most MaxRanked matches (a query matching most of a huge corpus would otherwise rank
        // every row); the vector half saw every eligible chunk. A few spare fused candidates cover a chunk replaced since
        // the vectors were loaded.
        await using var select = dataSource.CreateCommand(
            $"""
            WITH q AS (SELECT websearch_to_tsquery('english', $1) AS query),
            matches AS (
                SELECT c.id, c.search_vector
                FROM education.chunks c, q
                WHERE c.search_vector @@ q.query
                  AND ($2 = false OR c.document_id = ANY($3))
                LIMIT {MaxRanked}),
            text_ranks AS (
                SELECT m.id, row_number() OVER (ORDER BY ts_rank_cd(m.search_vector, q.query) DESC, m.id) AS rank
                FROM matches m, q
                ORDER BY rank
                LIMIT {TextRanks}),
            vector_ranks AS (SELECT v.id, v.rank FROM unnest($4::uuid[]) WITH ORDINALITY AS v(id, rank)),
            fused AS (
                SELECT r.id, sum(1.0 / ({FusionK} + r.rank))::float8 AS score
                FROM (SELECT id, rank FROM text_ranks UNION ALL SELECT id, rank FROM vector_ranks) r
                GROUP BY r.id
                ORDER BY score DESC, r.id
                LIMIT $5),
            kept AS (
                SELECT c.id, c.document_id, c.location, c.content, f.score
                FROM fused f JOIN education.chunks c ON c.id = f.id
                ORDER BY f.score DESC, f.id
                LIMIT $6)
            SELECT k.id, d.title, d.uri, k.location, k.content, k.score,
                   ts_headline('english', k.content, q.query, 'StartSel=<mark>, StopSel=</mark>, MaxWords=40, MinWords=15, MaxFragments=2')
            FROM kept k JOIN education.documents d ON d.id = k.document_id, q
            ORDER BY k.score DESC, k.id
            """);
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = text });
        select.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = filtered });
        select.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = eligible });
        select.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = nearest });
        select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.K * 2 });
        select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.K });
        var passages = new List<Passage>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // id, title, uri, location, content, score, snippet
            passages.Add(new Passage(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(6), reader.GetString(4), reader.GetDouble(5)));
        }

        return new SearchResults(text, passages);
    }

    /// <summary>The documents carrying any of <paramref name="tags"/> (when given) and of one of <paramref name="types"/> (when given).</summary>
    private async Task<Guid[]> EligibleAsync(string[] tags, string[] types, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand(
            "SELECT id FROM education.documents WHERE (cardinality($1) = 0 OR tags && $1) AND (cardinality($2) = 0 OR doc_type = ANY($2))");
        select.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = tags });
        select.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = types });
        var ids = new List<Guid>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return [.. ids];
    }
}
