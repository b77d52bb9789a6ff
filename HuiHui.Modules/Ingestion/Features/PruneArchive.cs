using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class PruneArchiveHandler(IngestionDbContext db) : ICommandHandler<PruneArchive, PruneReport>
{
    public async ValueTask<PruneReport> Handle(PruneArchive command, CancellationToken cancellationToken)
    {
        var before = command.Before;
        var options = await db.OptionQuotes.Where(q => q.AsOf < before).ExecuteDeleteAsync(cancellationToken);
        var minutes = await db.UnderlyingBars.Where(b => b.Interval != Bar.Daily && b.Ts < before).ExecuteDeleteAsync(cancellationToken);
        var news = await db.NewsItems.Where(n => n.PublishedAt < before).ExecuteDeleteAsync(cancellationToken);
        return new PruneReport(new Dictionary<string, int> { ["market_data.options_chain"] = options, ["market_data.underlying_ohlc (intraday)"] = minutes, ["market_data.news_items"] = news });
    }
}
