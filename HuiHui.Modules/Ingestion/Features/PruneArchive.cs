using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Ingestion.Features;

internal sealed class PruneArchiveHandler(IngestionDbContext db) : ICommandHandler<PruneArchive, PruneReport>
{
    public async ValueTask<PruneReport> Handle(PruneArchive command, CancellationToken cancellationToken)
    {
        var news = await db.NewsItems.Where(n => n.PublishedAt < command.Before).ExecuteDeleteAsync(cancellationToken);
        return new PruneReport(new Dictionary<string, int> { ["market_data.news_items"] = news });
    }
}
