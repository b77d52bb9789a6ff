using HuiHui.Modules.Experts.Contracts;
using Mediator;

namespace HuiHui.Modules.Experts.Orchestration;

internal sealed class GetPersistenceStatusHandler(ResponseWriter writer) : IQueryHandler<GetPersistenceStatus, PersistenceStatus>
{
    public ValueTask<PersistenceStatus> Handle(GetPersistenceStatus query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PersistenceStatus(writer.Enqueued, writer.Written, writer.Rejected, writer.Spooled, writer.Queued, writer.SpoolBytes, writer.DatabaseDown));
}
