using HuiHui.Modules.Ingestion.Archive;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Pipeline;
using Mediator;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class GetIngestionStatusHandler(IngestionState state, SnapshotSpool spool, Microsoft.Extensions.Options.IOptions<IngestionOptions> options) : IQueryHandler<GetIngestionStatus, IngestionStatus>
{
    public ValueTask<IngestionStatus> Handle(GetIngestionStatus query, CancellationToken cancellationToken)
    {
        var (providers, symbols) = state.Snapshot();
        var (files, bytes) = spool.Size();
        return ValueTask.FromResult(new IngestionStatus(state.Interval, state.WatchList, providers, symbols, files, bytes, options.Value.Enabled, spool.Dropped));
    }
}
