using System.Collections.Concurrent;
using System.Text.Json;
using HuiHui.Modules.Ingestion.Contracts;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Archive;

/// <summary>
/// Snapshots waiting for the archive job, as JSON lines in hourly files under <see cref="IngestionOptions.SpoolPath"/>.
/// The job claims files by renaming them (<c>.jsonl</c> → <c>.archiving</c>), so writers never append to a file being
/// archived; a claimed file left by a crash is archived again next time (the upsert makes that harmless).
/// Option chains are kept at most every <see cref="IngestionOptions.ArchiveChainEvery"/> per symbol; prints are not kept.
/// </summary>
internal sealed class SnapshotSpool(IOptions<IngestionOptions> options, TimeProvider time)
{
    public const string Pending = ".jsonl";
    public const string Claimed = ".archiving";

    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> lastChain = new(StringComparer.OrdinalIgnoreCase);

    public string Folder => Path.GetFullPath(options.Value.SpoolPath);

    public void Append(ChainSnapshot snapshot)
    {
        var now = time.GetUtcNow();
        var keepChain = !lastChain.TryGetValue(snapshot.Symbol, out var last) || now - last >= options.Value.ArchiveChainEvery;
        if (keepChain)
        {
            lastChain[snapshot.Symbol] = now;
        }

        // Prints and the derived flow are not archived (market_data has no table for them; a replay derives the flow again);
        // the chain only when due.
        var archived = snapshot with { Prints = [], Flow = null, Contracts = keepChain ? snapshot.Contracts : [] };
        var line = JsonSerializer.SerializeToUtf8Bytes(archived, IngestionJson.Default.ChainSnapshot);
        lock (gate)
        {
            Directory.CreateDirectory(Folder);
            using var file = new FileStream(Path.Combine(Folder, $"snapshots-{now:yyyyMMdd-HH}{Pending}"), FileMode.Append, FileAccess.Write, FileShare.Read);
            file.Write(line);
            file.WriteByte((byte)'\n');
        }
    }

    /// <summary>Claims every pending file (and any claimed earlier but not archived) for archiving.</summary>
    public List<string> Claim()
    {
        lock (gate)
        {
            if (!Directory.Exists(Folder))
            {
                return [];
            }

            foreach (var pending in Directory.GetFiles(Folder, "*" + Pending))
            {
                var claimed = Path.Combine(Folder, $"{Path.GetFileNameWithoutExtension(pending)}-{Guid.NewGuid():N}{Claimed}");
                File.Move(pending, claimed, overwrite: false);
            }

            return [.. Directory.GetFiles(Folder, "*" + Claimed).Order(StringComparer.Ordinal)];
        }
    }

    public static IEnumerable<ChainSnapshot> Read(string file)
    {
        foreach (var line in File.ReadLines(file))
        {
            if (line.Length == 0)
            {
                continue;
            }

            ChainSnapshot? snapshot;
            try
            {
                snapshot = JsonSerializer.Deserialize(line, IngestionJson.Default.ChainSnapshot);
            }
            catch (JsonException)
            {
                snapshot = null; // a line cut off by a crash mid-write
            }

            if (snapshot is not null)
            {
                yield return InUtc(snapshot);
            }
        }
    }

    /// <summary>
    /// Spool lines written before provider times were converted where parsed can carry the exchange's offset
    /// (<c>…-05:00</c>): the same instants, which the archive stores as UTC. Without this, one such line would stop every
    /// archive run at the writers' UTC guard. New lines are UTC already (the validator refuses anything else).
    /// </summary>
    internal static ChainSnapshot InUtc(ChainSnapshot snapshot)
    {
        static bool Local(DateTimeOffset time) => time.Offset != TimeSpan.Zero;
        if (!Local(snapshot.AsOf) && !Local(snapshot.Quote.AsOf) && !snapshot.Contracts.Any(c => Local(c.UpdatedAt))
            && !snapshot.Bars.Any(b => Local(b.Start)) && !snapshot.News.Any(n => Local(n.PublishedAt)) && !snapshot.Prints.Any(p => Local(p.Time)))
        {
            return snapshot;
        }

        return snapshot with
        {
            AsOf = snapshot.AsOf.ToUniversalTime(),
            Quote = snapshot.Quote with { AsOf = snapshot.Quote.AsOf.ToUniversalTime() },
            Contracts = [.. snapshot.Contracts.Select(c => c with { UpdatedAt = c.UpdatedAt.ToUniversalTime() })],
            Bars = [.. snapshot.Bars.Select(b => b with { Start = b.Start.ToUniversalTime() })],
            News = [.. snapshot.News.Select(n => n with { PublishedAt = n.PublishedAt.ToUniversalTime() })],
            Prints = [.. snapshot.Prints.Select(p => p with { Time = p.Time.ToUniversalTime() })],
        };
    }

    public (int Files, long Bytes) Size()
    {
        if (!Directory.Exists(Folder))
        {
            return (0, 0);
        }

        var files = Directory.GetFiles(Folder).Where(f => f.EndsWith(Pending, StringComparison.Ordinal) || f.EndsWith(Claimed, StringComparison.Ordinal)).ToList();
        return (files.Count, files.Sum(f => new FileInfo(f).Length));
    }
}
