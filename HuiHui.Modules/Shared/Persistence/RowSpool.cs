using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HuiHui.Modules.Shared.Persistence;

/// <summary>
/// Rows waiting on disk for PostgreSQL: JSON lines in numbered segment files (<c>{name}-000000000001.jsonl</c>, …) in one
/// folder, replayed oldest first. Bounded: when an append takes the spool past <c>maxBytes</c> the oldest segments are
/// deleted until it is back under 90 % of it, and their rows counted in <see cref="Dropped"/>. A line cut off by a crash
/// is skipped on reading. Files of the older single-file layout (<c>{name}.replaying</c>, <c>{name}.jsonl</c>) are
/// replayed first. Not thread-safe: one writer's loop owns it.
/// </summary>
internal sealed class RowSpool<T>
{
    private const string Extension = ".jsonl";

    private readonly string name;
    private readonly long maxBytes;
    private readonly long segmentBytes;
    /// <summary>Built on the first spooled or replayed row: a writer that never spools (the usual case) never pays for it.</summary>
    private readonly Lazy<JsonTypeInfo<T>> json;
    private long? bytes;

    public RowSpool(string folder, string name, long maxBytes, Func<JsonTypeInfo<T>> json)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1024);
        Folder = Path.GetFullPath(folder);
        this.name = name;
        this.maxBytes = maxBytes;
        this.json = new Lazy<JsonTypeInfo<T>>(json);
        segmentBytes = Math.Clamp(maxBytes / 16, 64 * 1024, 16 * 1024 * 1024);
    }

    public string Folder { get; }

    /// <summary>The file rows PostgreSQL refused (a data or constraint error) are kept in, for a person to look at.</summary>
    public string RefusedFile => Path.Combine(Folder, $"{name}.refused{Extension}");

    /// <summary>Rows that could not be serialised (not spooled), since the start.</summary>
    public long Unserialisable { get; private set; }

    /// <summary>Rows deleted unwritten to keep the spool under its cap, since the start.</summary>
    public long Dropped { get; private set; }

    /// <summary>Bytes waiting (measured once, then kept up to date).</summary>
    public long Bytes => bytes ??= Segments().Sum(f => new FileInfo(f).Length);

    public bool IsEmpty => Bytes == 0;

    /// <summary>The segment files, oldest first.</summary>
    public IReadOnlyList<string> Segments()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        var legacy = new[] { $"{name}.replaying", $"{name}{Extension}" }.Select(f => Path.Combine(Folder, f)).Where(File.Exists);
        return [.. legacy, .. Directory.GetFiles(Folder, $"{name}-*{Extension}").Where(f => Number(f) is not null).Order(StringComparer.Ordinal)];
    }

    /// <summary>Appends <paramref name="rows"/>; returns the rows dropped to stay under the cap (0 almost always).</summary>
    public int Append(IReadOnlyCollection<T> rows)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        Directory.CreateDirectory(Folder);
        var segments = Segments();
        var last = segments.Count > 0 ? segments[^1] : null;
        var target = last is not null && Number(last) is not null && new FileInfo(last).Length < segmentBytes
            ? last
            : Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"{name}-{(segments.Select(Number).Max() ?? 0) + 1:D12}{Extension}"));
        var before = Bytes;
        using (var file = new FileStream(target, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            var start = file.Position;
            foreach (var row in rows)
            {
                var rowStart = file.Position;
                try
                {
                    JsonSerializer.Serialize(file, row, json.Value);
                    file.WriteByte((byte)'\n');
                }
                catch (Exception error) when (error is JsonException or NotSupportedException or ArgumentException)
                {
                    file.SetLength(rowStart); // no half line; the row is counted and the rest still spooled
                    Unserialisable++;
                }
            }

            bytes = before + (file.Position - start);
        }

        return Bytes > maxBytes ? DropOldest() : 0;
    }

    /// <summary>The rows of <paramref name="segment"/> (a line cut off by a crash is skipped).</summary>
    public List<T> Read(string segment)
    {
        var rows = new List<T>();
        foreach (var line in File.ReadLines(segment))
        {
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize(line, json.Value) is { } row)
                {
                    rows.Add(row);
                }
            }
            catch (JsonException)
            {
                // cut off mid-write by a crash
            }
        }

        return rows;
    }

    /// <summary>Deletes a segment whose rows are all written.</summary>
    public void Remove(string segment)
    {
        var length = new FileInfo(segment).Length;
        File.Delete(segment);
        bytes = Math.Max(0, Bytes - length);
    }

    /// <summary>Keeps only <paramref name="rest"/> of <paramref name="segment"/> (the rows before them were written).</summary>
    public void Replace(string segment, IReadOnlyCollection<T> rest)
    {
        if (rest.Count == 0)
        {
            Remove(segment);
            return;
        }

        var temporary = segment + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            foreach (var row in rest)
            {
                JsonSerializer.Serialize(file, row, json.Value);
                file.WriteByte((byte)'\n');
            }
        }

        File.Move(temporary, segment, overwrite: true);
        bytes = null;
    }

    /// <summary>Keeps rows PostgreSQL refused in <see cref="RefusedFile"/> (not replayed).</summary>
    public void Refuse(T row)
    {
        Directory.CreateDirectory(Folder);
        using var file = new FileStream(RefusedFile, FileMode.Append, FileAccess.Write, FileShare.Read);
        JsonSerializer.Serialize(file, row, json.Value);
        file.WriteByte((byte)'\n');
    }

    private int DropOldest()
    {
        var target = maxBytes * 9 / 10;
        var lost = 0;
        foreach (var segment in Segments())
        {
            if (Bytes <= target)
            {
                break;
            }

            lost += Read(segment).Count;
            Remove(segment);
        }

        Dropped += lost;
        return lost;
    }

    /// <summary>The segment's number, or null for a file that is not a numbered segment of this spool.</summary>
    private long? Number(string file)
    {
        var stem = Path.GetFileNameWithoutExtension(file);
        return stem.Length == name.Length + 13 && stem.StartsWith(name + "-", StringComparison.Ordinal)
            && long.TryParse(stem.AsSpan(name.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
    }
}
