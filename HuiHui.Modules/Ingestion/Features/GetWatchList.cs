using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Pipeline;
using Mediator;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class GetWatchListHandler(IngestionState state, Microsoft.Extensions.Options.IOptions<IngestionOptions> options) : IQueryHandler<GetWatchList, WatchListSettings>
{
    public ValueTask<WatchListSettings> Handle(GetWatchList query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new WatchListSettings(state.Interval, state.WatchList, options.Value.Enabled));
}
