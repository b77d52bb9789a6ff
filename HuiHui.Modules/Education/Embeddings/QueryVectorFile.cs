using System.Runtime.InteropServices;
using System.Text;

namespace HuiHui.Modules.Education.Embeddings;

/// <summary>
/// The local model's query vectors kept on disk beside its rewritten graph, so a question asked before — by the hub or by an
/// earlier command — is answered without loading the model: a one-shot <c>analyze</c> cites its passages from the stored
/// vector of its topic, and a hub whose citation topics repeat can let the model go for good.
/// <para>
/// One line per query, <c>BASE64(UTF-8 query) BASE64(float32 little-endian vector)</c>, appended as vectors are computed. The
/// file is keyed, like the graph, by the model and this build of HuiHui (a build that embeds differently never reads an older
/// build's vectors; their files are deleted). Lines that do not parse or have the wrong length are skipped (two processes
/// appending at once may tear one: that vector is computed again). Past twice the cap the file is rewritten with its newest
/// entries. Disk faults only cost the speed-up: the model computes the vector as before.
/// </para>
/// </summary>
internal sealed class QueryVectorFile
{
    private readonly string path;
    private readonly int dimension;
    private readonly int cap;
    private readonly Lock gate = new();

    public QueryVectorFile(string folder, string modelId, int dimension, int cap)
    {
        this.dimension = dimension;
        this.cap = Math.Max(1, cap);
        Folder = Path.GetFullPath(Path.Combine(folder, "query-vectors"));
        Prefix = modelId + "-";
        path = Path.Combine(Folder, $"{modelId}-{typeof(QueryVectorFile).Assembly.ManifestModule.ModuleVersionId:N}.vectors");
    }

    public string Folder { get; }

    private string Prefix { get; }


    /// <summary>The stored vectors, oldest first (a later line for the same query wins); empty when there is no file.</summary>
    public IReadOnlyList<(string Query, float[] Vector)> Load()
    {
        lock (gate)
        {
            try
            {
                DropOlderBuilds();
                if (!File.Exists(path))
                {
                    return [];
                }

                var lines = 0;
                var parsed = new List<(string Query, float[] Vector)>();
                foreach (var line in File.ReadLines(path))
                {
                    lines++;
                    if (Parse(line) is { } entry)
                    {
                        parsed.Add(entry);
                    }
                }

                // The last line of each query wins; the newest `cap` are kept.
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var newest = new List<(string Query, float[] Vector)>();
                for (var i = parsed.Count - 1; i >= 0 && newest.Count < cap; i--)
                {
                    if (seen.Add(parsed[i].Query))
                    {
                        newest.Add(parsed[i]);
                    }
                }

                newest.Reverse();
                if (lines > 2 * cap)
                {
                    var partial = path + "." + Guid.NewGuid().ToString("N") + ".partial";
                    File.WriteAllLines(partial, newest.Select(e => Format(e.Query, e.Vector)));
                    File.Move(partial, path, overwrite: true);
                }

                return newest;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                return []; // unreadable: the model computes what is asked
            }
        }
    }

    /// <summary>Appends one computed vector (best effort).</summary>
    public void Append(string query, float[] vector)
    {
        if (vector.Length != dimension)
        {
            return;
        }

        lock (gate)
        {
            try
            {
                Directory.CreateDirectory(Folder);
                File.AppendAllText(path, Format(query, vector) + "\n");
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // A read-only or full disk: the vector stays in memory only.
            }
        }
    }

    private (string Query, float[] Vector)? Parse(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        try
        {
            var query = Encoding.UTF8.GetString(Convert.FromBase64String(line[..space]));
            var bytes = Convert.FromBase64String(line[(space + 1)..]);
            if (bytes.Length != dimension * sizeof(float))
            {
                return null;
            }

            var vector = new float[dimension];
            bytes.AsSpan().CopyTo(MemoryMarshal.AsBytes(vector.AsSpan()));
            return vector.All(float.IsFinite) ? (query, vector) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Format(string query, float[] vector) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(query)) + " " + Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan()));

    private void DropOlderBuilds()
    {
        if (!Directory.Exists(Folder))
        {
            return;
        }

        // This model's files of other builds only (PREFIX + 32 hex digits): another model's name may start with this one's.
        foreach (var old in Directory.EnumerateFiles(Folder, Prefix + "*.vectors")
                     .Where(f => Path.GetFileName(f).Length == Prefix.Length + 32 + ".vectors".Length && !string.Equals(Path.GetFullPath(f), path, StringComparison.Ordinal)))
        {
            File.Delete(old);
        }
    }
}
