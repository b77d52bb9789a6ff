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

/// <summary>How the ingest that is running (or ran last) in this process is getting on.</summary>
public sealed record GetIngestProgress : IQuery<IngestProgressView>;

/// <param name="Running">An ingest is under way.</param>
/// <param name="Files">Files the ingest was given.</param>
/// <param name="FilesDone">Files finished (added, replaced, unchanged or skipped).</param>
/// <param name="CurrentFile">The file being read and embedded.</param>
/// <param name="ChunksEmbedded">Chunks with a vector so far (computed or reused).</param>
/// <param name="ChunksReused">Of those, vectors kept from before (unchanged chunks of an edited document).</param>
/// <param name="StartedAt">When the ingest began; null before any.</param>
/// <param name="FinishedAt">When it ended; null while running.</param>
/// <param name="Model">The embedding model.</param>
public sealed record IngestProgressView(bool Running, int Files, int FilesDone, string? CurrentFile, long ChunksEmbedded, long ChunksReused, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string Model)
{
    public double Fraction => Files == 0 ? 0 : (double)FilesDone / Files;
}

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

/// <summary>The corpus's documents, newest first, at most <paramref name="Count"/>.</summary>
public sealed record ListDocuments(int Count = 200) : IQuery<IReadOnlyList<DocumentSummary>>;

public sealed record DocumentSummary(Guid Id, string Title, string Uri, DocumentType Type, IReadOnlyList<string> Tags, int Chunks, long SizeBytes, DateTimeOffset IngestedAt);

/// <summary>One document with its chunks in order, by id, or by the id of one of its chunks; null when there is none.</summary>
public sealed record GetDocument(Guid? DocumentId = null, Guid? ChunkId = null) : IQuery<DocumentView?>;

public sealed record DocumentView(DocumentSummary Document, IReadOnlyList<DocumentSection> Sections);

/// <param name="ChunkId">The chunk.</param>
/// <param name="Location">Heading path and line, page or cell.</param>
/// <param name="Content">Its text.</param>
public sealed record DocumentSection(Guid ChunkId, string Location, string Content);

/// <summary>
/// Store an uploaded file in the upload folder (<c>HuiHui:Education:UploadFolder</c>, part of the corpus) and ingest it.
/// A file the corpus refuses (unknown type, corrupt, empty, too large) is not kept; the report says why.
/// </summary>
public sealed record UploadDocument(string FileName, byte[] Content, IReadOnlyList<string>? Tags = null) : ICommand<IngestedFile>;
