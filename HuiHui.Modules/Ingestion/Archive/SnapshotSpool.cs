using System.Collections.Concurrent;
using System.Text.Json;
using HuiHui.Modules.Ingestion.Contracts;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Archive;

/// <summary>
/// Snapshots waiting for the archive job, as JSON lines in one file per minute under <see cref="IngestionOptions.SpoolPath"/>.
/// The job claims files by renaming them (<c>.jsonl</c> → <c>.archiving</c>), so writers never append to a file being
/// archived; a claimed file left by a crash is archived again next time (the upsert makes that harmless).
/// A line carries only what the archive does not have yet: the option chain at most every
/// <see cref="IngestionOptions.ArchiveChainEvery"/> per symbol, the minute bars newer than the last spooled one (and that
/// one again when it changed: it may have been still forming) and the headlines not spooled before; a snapshot with nothing new writes nothing. Prints are not kept. The spool is bounded by
/// <see cref="IngestionOptions.SpoolMaxBytes"/>: past it the oldest files are deleted and their snapshots counted as dropped.
/// </summary>
internal sealed class SnapshotSpool(IOptions<IngestionOptions> options, TimeProvider time)
{
    public const string Pending = ".jsonl";
    public const string Claimed = ".archiving";

    /// <summary>Headline ids remembered per symbol to leave repeats out.</summary>
    private const int NewsMemory = 256;

    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, SymbolSpooled> spooled = new(StringComparer.OrdinalIgnoreCase);
    private long bytes = -1;
    private long dropped;

    public string Folder => Path.GetFullPath(options.Value.SpoolPath);

    /// <summary>Snapshots deleted from a full spool since the start.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Spools what is new in <paramref name="snapshot"/>; returns the snapshots dropped to keep the spool under its cap (0 almost always).</summary>
    public int Append(ChainSnapshot snapshot)
    {
        var now = time.GetUtcNow();
        var state = spooled.GetOrAdd(snapshot.Symbol, _ => new SymbolSpooled());
        ChainSnapshot archived;
        lock (state)
        {
            var keepChain = state.LastChain is not { } last || now - last >= options.Value.ArchiveChainEvery;
            // The newest bar may still be forming: it is spooled again whenever it changed (the archive's upsert keeps the last).
            var bars = snapshot.Bars.Where(b => state.LastBar is not { } seen || b.Start > seen.Start || (b.Start == seen.Start && b != seen)).ToList();
            var news = snapshot.News.Where(n => !state.News.Contains(n.Id)).ToList();
            if (!keepChain && bars.Count == 0 && news.Count == 0)
            {
                return 0;
            }

            if (keepChain)
            {
                state.LastChain = now;
            }

            if (bars.Count > 0)
            {
                state.LastBar = bars.MaxBy(b => b.Start);
            }

            foreach (var item in news)
            {
                state.Remember(item.Id);
            }

            archived = snapshot with { Prints = [], Flow = null, Contracts = keepChain ? snapshot.Contracts : [], Bars = bars, News = news };
        }

        lock (gate)
        {
            Directory.CreateDirectory(Folder);
            long written;
            using (var file = new FileStream(Path.Combine(Folder, $"snapshots-{now:yyyyMMdd-HHmm}{Pending}"), FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                // Straight into the file through the serialiser's pooled buffers: a chain's line is a few hundred KB, and
                // serialised to an array first it was a large-object allocation per symbol and minute.
                var start = file.Position;
                try
                {
                    JsonSerializer.Serialize(file, archived, IngestionJson.Default.ChainSnapshot);
                    file.WriteByte((byte)'\n');
                }
                catch
                {
                    file.SetLength(start); // no half line left for the archive to skip
                    throw;
                }

                written = file.Position - start;
            }

            bytes = bytes < 0 ? Measure() : bytes + written;
            return bytes > options.Value.SpoolMaxBytes ? DropOldest() : 0;
        }
    }

    /// <summary>Deletes the oldest files until the spool is back under 90 % of its cap; returns the snapshots they held.</summary>
    private int DropOldest()
    {
        var target = options.Value.SpoolMaxBytes * 9 / 10;
        var lost = 0;
        foreach (var file in Files().OrderBy(f => Path.GetFileName(f)[..Math.Min(Path.GetFileName(f).Length, "snapshots-yyyyMMdd-HHmm".Length)], StringComparer.Ordinal).ToList())
        {
            if (bytes <= target)
            {
                break;
            }

            var length = new FileInfo(file).Length;
            lost += File.ReadLines(file).Count(l => l.Length > 0);
            File.Delete(file);
            bytes -= length;
        }

        Interlocked.Add(ref dropped, lost);
        return lost;
    }

    private IEnumerable<string> Files() => Directory.Exists(Folder)
        ? Directory.GetFiles(Folder).Where(f => f.EndsWith(Pending, StringComparison.Ordinal) || f.EndsWith(Claimed, StringComparison.Ordinal))
        : [];

    private long Measure() => Files().Sum(f => new FileInfo(f).Length);

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

            bytes = -1; // the archive deletes what it stored: measured again on the next append
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
        var files = Files().ToList();
        return (files.Count, files.Sum(f => new FileInfo(f).Length));
    }

    /// <summary>What was spooled of one symbol: the last chain's time, the newest bar, the recent headline ids.</summary>
    private sealed class SymbolSpooled
    {
        private readonly Queue<string> order = new();

        public DateTimeOffset? LastChain { get; set; }

        public Bar? LastBar { get; set; }

        public HashSet<string> News { get; } = new(StringComparer.Ordinal);

        public void Remember(string id)
        {
            if (News.Add(id))
            {
                order.Enqueue(id);
                if (order.Count > NewsMemory)
                {
                    News.Remove(order.Dequeue());
                }
            }
        }
    }
}
