using Mediator;

namespace HuiHui.Modules.Education.Contracts;

/// <summary>
/// Ingest files or folders (recursively) into the corpus. Unchanged documents (same content hash and embedding model)
/// are left alone; changed ones have their chunks replaced atomically; bad files are skipped with a reason.
/// </summary>
public sealed record IngestDocuments(IReadOnlyList<string> Paths, IReadOnlyList<string>? Tags = null) : ICommand<IngestReport>;

public sealed record IngestReport(IReadOnlyList<IngestedFile> Files)
{
    public int Count(string outcome) => Files.Count(f => f.Outcome == outcome);
}

/// <param name="Path">The file.</param>
/// <param name="Outcome"><c>added</c>, <c>unchanged</c>, <c>replaced</c> or <c>skipped</c>.</param>
/// <param name="Reason">Why it was skipped.</param>
/// <param name="Chunks">Chunks stored.</param>
public sealed record IngestedFile(string Path, string Outcome, string? Reason, int Chunks);

/// <summary>Hybrid search (full-text ranking fused with vector similarity by reciprocal rank), optionally filtered.</summary>
public sealed record SearchDocuments(string Query, int K = 5, IReadOnlyList<string>? Tags = null, IReadOnlyList<DocumentType>? Types = null) : IQuery<SearchResults>;

public sealed record SearchResults(string Query, IReadOnlyList<Passage> Passages);

/// <param name="Title">The document's title.</param>
/// <param name="Uri">Where the document came from.</param>
/// <param name="Location">Where in it: heading path and line, page or cell.</param>
/// <param name="Snippet">The passage with the query's words in &lt;mark&gt;…&lt;/mark&gt;.</param>
/// <param name="Content">The whole chunk.</param>
/// <param name="Score">Reciprocal-rank-fusion score (higher is better).</param>
public sealed record Passage(Guid ChunkId, string Title, string Uri, string Location, string Snippet, string Content, double Score);
