using HuiHui.Modules.Ingestion.Archive;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Npgsql;

namespace HuiHui.Modules.Ingestion.Features;

/// <summary>
/// Archives claimed spool files, one transaction per file: option quotes, minute bars and headlines via COPY and upsert.
/// A file is deleted only after its transaction commits; a failure leaves it claimed for the next run.
/// </summary>
internal sealed class ArchiveSpooledSnapshotsHandler(SnapshotSpool spool, NpgsqlDataSource dataSource, TimeProvider time) : ICommandHandler<ArchiveSpooledSnapshots, ArchiveReport>
{
    public async ValueTask<ArchiveReport> Handle(ArchiveSpooledSnapshots command, CancellationToken cancellationToken)
    {
        var (files, snapshots, options, bars, news) = (0, 0, 0, 0, 0);
        foreach (var file in spool.Claim())
        {
            var batch = SnapshotSpool.Read(file).ToList();
            var now = time.GetUtcNow();
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                options += await MarketDataArchive.WriteOptionsAsync(connection,
                    batch.SelectMany(s => s.Contracts.Select(c => new OptionRow(c, s.AsOf, s.Spot, s.Source))), cancellationToken);
                foreach (var group in batch.GroupBy(s => s.Source))
                {
                    bars += (await MarketDataArchive.WriteBarsAsync(connection, group.SelectMany(s => s.Bars), group.Key, now, cancellationToken)).Inserted;
                }

                news += await MarketDataArchive.WriteNewsAsync(connection, batch.SelectMany(s => s.News.Select(n => (n, ProviderOf(n, s.Source)))), now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            File.Delete(file);
            files++;
            snapshots += batch.Count;
        }

        return new ArchiveReport(files, snapshots, options, bars, news);
    }

    /// <summary>News ids are provider-qualified (<c>provider:id</c>).</summary>
    private static string ProviderOf(NewsItem item, string fallback)
    {
        var cut = item.Id.IndexOf(':', StringComparison.Ordinal);
        return cut > 0 ? item.Id[..cut] : fallback;
    }
}
