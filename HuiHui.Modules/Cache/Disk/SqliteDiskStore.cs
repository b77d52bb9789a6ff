using HuiHui.Modules.Cache.Contracts;
using Microsoft.Data.Sqlite;

namespace HuiHui.Modules.Cache.Disk;

/// <summary>
/// A value on disk: its serialized payload, tier, freshness window and tags. The payload is memory, not an array: the cache
/// writes a batch's payloads from one reused buffer rather than one large array per value.
/// </summary>
internal sealed record DiskEntry(ReadOnlyMemory<byte> Payload, CacheTier Tier, DateTimeOffset StoredAt, DateTimeOffset FreshUntil, DateTimeOffset StaleUntil, IReadOnlyList<string> Tags);

/// <summary>
/// The disk level: one SQLite file. Payload bytes are capped; the least recently used rows go first (recency is an
/// access sequence, not a timestamp, so order holds however the clock moves). Freed pages are returned to the file
/// system by incremental vacuum. Not thread-safe: <see cref="DiskLevel"/> serialises access.
/// </summary>
internal sealed class SqliteDiskStore : IDisposable
{
    public const string FileName = "cache.db";

    /// <summary>The file's layout (<c>PRAGMA user_version</c>); a file with an older one is emptied and laid out again.</summary>
    private const long Layout = 2;

    private readonly SqliteConnection connection;
    private readonly long maxBytes;
    private readonly TimeProvider time;
    private long accessSequence;

    private SqliteDiskStore(SqliteConnection connection, long maxBytes, TimeProvider time)
    {
        this.connection = connection;
        this.maxBytes = maxBytes;
        this.time = time;
    }

    public long Bytes { get; private set; }

    public long Count { get; private set; }

    public long Evictions { get; private set; }

    public static SqliteDiskStore Open(string folder, long maxBytes, TimeProvider time, long? maxPageCount = null)
    {
        Directory.CreateDirectory(folder);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, """
                PRAGMA auto_vacuum = INCREMENTAL;
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                """);
            if (Scalar(connection, "PRAGMA user_version") < Layout)
            {
                // An older layout (the payload before the columns read without it): its entries are only a cache, start empty.
                Execute(connection, "DROP TABLE IF EXISTS entry_tags; DROP TABLE IF EXISTS entries;");
            }

            // The payload is the last column: SQLite reads a row's columns in order, so anything after a large blob (its
            // size, its expiry) would cost a walk through the blob's overflow pages — at every purge, total and eviction.
            Execute(connection, $"""
                CREATE TABLE IF NOT EXISTS entries (
                    key TEXT PRIMARY KEY, tier INTEGER NOT NULL, size INTEGER NOT NULL, stored_at INTEGER NOT NULL,
                    fresh_until INTEGER NOT NULL, stale_until INTEGER NOT NULL, last_access INTEGER NOT NULL, payload BLOB NOT NULL);
                CREATE INDEX IF NOT EXISTS ix_entries_last_access ON entries (last_access);
                CREATE INDEX IF NOT EXISTS ix_entries_stale_until ON entries (stale_until);
                CREATE TABLE IF NOT EXISTS entry_tags (tag TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (tag, key)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS ix_entry_tags_key ON entry_tags (key);
                PRAGMA user_version = {Layout};
                """);
            if (maxPageCount is { } pages)
            {
                Execute(connection, $"PRAGMA max_page_count = {pages}");
            }

            var store = new SqliteDiskStore(connection, maxBytes, time);
            store.PurgeExpired();
            store.LoadTotals();
            return store;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads SQLite and runs the statements the disk level uses on a throw-away in-memory database, so a fresh process's
    /// first open of its file finds the native library and the provider's code ready (<see cref="Shared.Contracts.ModuleDescriptor.Prime"/>).
    /// </summary>
    public static void Prime()
    {
        using var connection = new SqliteConnection("Data Source=:memory:;Pooling=False");
        connection.Open();
        Execute(connection, "CREATE TABLE entries (key TEXT PRIMARY KEY, size INTEGER NOT NULL, payload BLOB NOT NULL); INSERT INTO entries VALUES ('k', 1, x'00');");
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT size, payload FROM entries WHERE key = $key";
        select.Parameters.AddWithValue("$key", "k");
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            _ = reader.GetInt64(0);
            _ = reader["payload"];
        }
    }

    public DiskEntry? Get(string key)
    {
        using var select = Command("SELECT tier, payload, stored_at, fresh_until, stale_until FROM entries WHERE key = $key", ("$key", key));
        using var reader = select.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var staleUntil = FromMs(reader.GetInt64(4));
        if (time.GetUtcNow() >= staleUntil)
        {
            reader.Close();
            Remove(key);
            return null;
        }

        var entry = new DiskEntry((byte[])reader["payload"], (CacheTier)reader.GetInt32(0), FromMs(reader.GetInt64(2)), FromMs(reader.GetInt64(3)), staleUntil, []);
        reader.Close();

        using (var touch = Command("UPDATE entries SET last_access = $seq WHERE key = $key", ("$seq", ++accessSequence), ("$key", key)))
        {
            touch.ExecuteNonQuery();
        }

        return entry with { Tags = Tags(key) };
    }

    public void Put(string key, DiskEntry entry) => PutMany([(key, entry)]);

    /// <summary>
    /// Writes the entries (oldest first) in one transaction. Room is made first — the coldest rows go before the new ones
    /// are written, so the file never holds the batch on top of a full cap — and entries of the batch that could not stay
    /// under the cap anyway (the oldest of a batch larger than it) are counted as evicted and never written.
    /// </summary>
    public void PutMany(IReadOnlyList<(string Key, DiskEntry Entry)> writes)
    {
        var fitting = new List<(string Key, DiskEntry Entry)>(writes.Count);
        long total = 0, incoming = 0;
        for (var i = writes.Count - 1; i >= 0; i--)
        {
            var (key, entry) = writes[i];
            if (total + entry.Payload.Length > maxBytes)
            {
                // Older than what fits: evicted at once, so never written — and an older copy on disk must not outlive it.
                for (var older = i; older >= 0; older--)
                {
                    Remove(writes[older].Key);
                }

                Evictions += i + 1;
                break;
            }

            total += entry.Payload.Length;
            incoming += entry.Payload.Length - (SizeOf(key) ?? 0);
            fitting.Add((key, entry));
        }

        if (fitting.Count == 0)
        {
            return;
        }

        fitting.Reverse();
        EvictToFit(maxBytes - Math.Max(0, incoming));
        long bytes = 0, count = 0;
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var (key, entry) in fitting)
            {
                var previous = Upsert(key, entry);
                bytes += entry.Payload.Length - (previous ?? 0);
                count += previous is null ? 1 : 0;
            }

            transaction.Commit();
        }

        Bytes += bytes;
        Count += count;
        EvictToFit(maxBytes);
    }

    /// <summary>Writes one entry and its tags (inside the caller's transaction); returns the size it replaced, if any.</summary>
    private long? Upsert(string key, DiskEntry entry)
    {
        var previous = SizeOf(key);
        // The row is written with a zero-filled blob of the payload's size and the bytes then copied in place (SQLite's
        // incremental blob I/O): a bound parameter would need the payload as an array of its own.
        long rowId;
        using (var upsert = Command(
            "INSERT OR REPLACE INTO entries (key, tier, payload, size, stored_at, fresh_until, stale_until, last_access) VALUES ($key, $tier, zeroblob($size), $size, $stored, $fresh, $stale, $seq) RETURNING rowid",
            ("$key", key), ("$tier", (int)entry.Tier), ("$size", entry.Payload.Length),
            ("$stored", ToMs(entry.StoredAt)), ("$fresh", ToMs(entry.FreshUntil)), ("$stale", ToMs(entry.StaleUntil)), ("$seq", ++accessSequence)))
        {
            rowId = Convert.ToInt64(upsert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (!entry.Payload.IsEmpty)
        {
            using var blob = new SqliteBlob(connection, "entries", "payload", rowId);
            blob.Write(entry.Payload.Span);
        }

        using (var clear = Command("DELETE FROM entry_tags WHERE key = $key", ("$key", key)))
        {
            clear.ExecuteNonQuery();
        }

        foreach (var tag in entry.Tags)
        {
            using var insert = Command("INSERT OR IGNORE INTO entry_tags (tag, key) VALUES ($tag, $key)", ("$tag", tag), ("$key", key));
            insert.ExecuteNonQuery();
        }

        return previous;
    }

    public bool Remove(string key)
    {
        var size = SizeOf(key);
        if (size is null)
        {
            return false;
        }

        using var delete = Command("DELETE FROM entry_tags WHERE key = $key; DELETE FROM entries WHERE key = $key", ("$key", key));
        delete.ExecuteNonQuery();
        Bytes -= size.Value;
        Count--;
        return true;
    }

    public IReadOnlyList<string> RemoveByTag(string tag)
    {
        var keys = new List<string>();
        using (var select = Command("SELECT key FROM entry_tags WHERE tag = $tag", ("$tag", tag)))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                keys.Add(reader.GetString(0));
            }
        }

        return [.. keys.Where(Remove)];
    }

    public void Dispose() => connection.Dispose();

    private void EvictToFit(long target)
    {
        var evicted = 0;
        while (Bytes > target)
        {
            var coldest = new List<(string Key, long Size)>();
            using (var select = Command("SELECT key, size FROM entries ORDER BY last_access LIMIT 64"))
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    coldest.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }

            foreach (var (key, size) in coldest)
            {
                if (Bytes <= target)
                {
                    break;
                }

                Remove(key);
                evicted++;
            }

            if (coldest.Count == 0)
            {
                break;
            }
        }

        if (evicted > 0)
        {
            Evictions += evicted;
            Execute(connection, "PRAGMA incremental_vacuum");
        }
    }

    private void PurgeExpired()
    {
        using var purge = Command(
            "DELETE FROM entry_tags WHERE key IN (SELECT key FROM entries WHERE stale_until <= $now); DELETE FROM entries WHERE stale_until <= $now",
            ("$now", ToMs(time.GetUtcNow())));
        purge.ExecuteNonQuery();
    }

    private void LoadTotals()
    {
        using var totals = Command("SELECT count(*), coalesce(sum(size), 0), coalesce(max(last_access), 0) FROM entries");
        using var reader = totals.ExecuteReader();
        reader.Read();
        Count = reader.GetInt64(0);
        Bytes = reader.GetInt64(1);
        accessSequence = reader.GetInt64(2);
    }

    private long? SizeOf(string key)
    {
        using var select = Command("SELECT size FROM entries WHERE key = $key", ("$key", key));
        return select.ExecuteScalar() is long size ? size : null;
    }

    private List<string> Tags(string key)
    {
        var tags = new List<string>();
        using var select = Command("SELECT tag FROM entry_tags WHERE key = $key", ("$key", key));
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            tags.Add(reader.GetString(0));
        }

        return tags;
    }

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long ToMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);
}
