using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;

namespace HuiHui.Modules.Experts.Features;

/// <summary>The times of the day's archived chains, from the archive's (underlying, as_of) index.</summary>
internal sealed class GetHeatmapTimesHandler(IMediator mediator) : IQueryHandler<GetHeatmapTimes, IReadOnlyList<DateTimeOffset>>
{
    public async ValueTask<IReadOnlyList<DateTimeOffset>> Handle(GetHeatmapTimes query, CancellationToken cancellationToken)
    {
        var from = new DateTimeOffset(query.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return await mediator.Send(new GetArchivedChainTimes(query.Symbol.Trim().ToUpperInvariant(), from, from.AddDays(1).AddTicks(-1)), cancellationToken);
    }
}
