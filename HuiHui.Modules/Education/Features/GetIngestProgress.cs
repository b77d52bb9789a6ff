using HuiHui.Modules.Education.Contracts;
using HuiHui.Modules.Education.Embeddings;
using Mediator;

namespace HuiHui.Modules.Education.Features;

/// <summary>
/// The progress of the ingest running in this process (one at a time is reported: the latest started), for the CLI's
/// progress bar and the admins' Education page. Updated by <see cref="IngestDocumentsHandler"/> per file and per batch of chunks.
/// </summary>
internal sealed class IngestProgress(EmbeddingModel model, TimeProvider time)
{
    private readonly Lock gate = new();
    private IngestProgressView view = new(false, 0, 0, null, 0, 0, null, null, model.ModelId);

    public IngestProgressView Current
    {
        get
        {
            lock (gate)
            {
                return view;
            }
        }
    }

    public IDisposable Start(int files, DateTimeOffset at)
    {
        Update(_ => new IngestProgressView(true, files, 0, null, 0, 0, at, null, model.ModelId));
        return new Finish(this);
    }

    public void Reading(string path) => Update(v => v with { CurrentFile = path });

    public void FileDone(string outcome) => Update(v => v with { FilesDone = v.FilesDone + 1 });

    public void Embedded(int chunks, int reused) => Update(v => v with { ChunksEmbedded = v.ChunksEmbedded + chunks, ChunksReused = v.ChunksReused + reused });

    private void Update(Func<IngestProgressView, IngestProgressView> change)
    {
        lock (gate)
        {
            view = change(view);
        }
    }

    private sealed class Finish(IngestProgress progress) : IDisposable
    {
        public void Dispose() => progress.Update(v => v with { Running = false, CurrentFile = null, FinishedAt = progress.Now() });
    }

    private DateTimeOffset Now() => time.GetUtcNow();
}

internal sealed class GetIngestProgressHandler(IngestProgress progress) : IQueryHandler<GetIngestProgress, IngestProgressView>
{
    public ValueTask<IngestProgressView> Handle(GetIngestProgress query, CancellationToken cancellationToken) => ValueTask.FromResult(progress.Current);
}
