using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Orchestration;
using Mediator;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetPersistenceStatusHandler(ResponseWriter writer) : IQueryHandler<GetPersistenceStatus, PersistenceStatus>
{
    public ValueTask<PersistenceStatus> Handle(GetPersistenceStatus query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PersistenceStatus(writer.Enqueued, writer.Written, writer.Rejected, writer.Spooled, writer.Queued, writer.SpoolBytes, writer.DatabaseDown));
}
