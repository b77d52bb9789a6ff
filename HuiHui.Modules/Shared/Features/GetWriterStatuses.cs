using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Persistence;
using Mediator;

namespace HuiHui.Modules.Shared.Features;

internal sealed class GetWriterStatusesHandler(IEnumerable<IWriterStatusSource> writers) : IQueryHandler<GetWriterStatuses, IReadOnlyList<WriterStatus>>
{
    public ValueTask<IReadOnlyList<WriterStatus>> Handle(GetWriterStatuses query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<WriterStatus>>([.. writers.Select(w => w.Status).OrderBy(s => s.Name, StringComparer.Ordinal)]);
}
