using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Recording;

/// <summary><c>HuiHui:Ingestion:Recording</c>: keep every raw provider payload so a session can be replayed byte for byte.</summary>
internal sealed class RecordingOptions
{
    public const string Section = "HuiHui:Ingestion:Recording";

    /// <summary>Off by default: a day of one symbol's Tradier chains is tens of megabytes even compressed.</summary>
    public bool Enabled { get; set; }

    public string Path { get; set; } = ".data/recordings";

    /// <summary>The recordings' size cap; past it the oldest day is removed first (1 GiB).</summary>
    [System.ComponentModel.DataAnnotations.Range(1_048_576, long.MaxValue)]
    public long MaxBytes { get; set; } = 1L << 30;
}

/// <summary>
/// Records the raw payloads of each snapshot fetch, gzip-compressed as they came over the wire, in
/// <c>PATH/yyyy-MM-dd/PROVIDER/yyyyMMddTHHmmss.fffZ-SYMBOL/NN-NAME.json.gz</c> (one folder per fetch, so a Tradier quote stays
/// with its chains). <c>replay --source file:PATH/…</c> reads them back, the fetch time from the folder's name.
/// The folder is held under <see cref="RecordingOptions.MaxBytes"/>: whole days go first, oldest first; when today alone is
/// over the cap, its oldest fetches go. The router opens a recording around each provider call (<see cref="Begin"/>); the HTTP
/// helper adds what it receives (<see cref="Capture"/>), found through an async-local so no provider needs to know.
/// </summary>
internal sealed partial class PayloadRecorder(IOptionsMonitor<RecordingOptions> options, TimeProvider time, ILogger<PayloadRecorder> logger) : IDisposable
{
    public const string FolderTimeFormat = "yyyyMMdd'T'HHmmss.fff'Z'";

    private static readonly AsyncLocal<FetchRecording?> Current = new();
    private readonly SemaphoreSlim gate = new(1, 1);
    private long? totalBytes;

    /// <summary>Adds a payload to the fetch being recorded in this async flow, if any.</summary>
    public static void Capture(Uri? uri, byte[] payload) => Current.Value?.Add(NameOf(uri), payload);

    /// <summary>Starts recording one provider's fetch of <paramref name="symbol"/>; null when recording is off.</summary>
    public FetchRecording? Begin(string provider, string symbol)
    {
        // Set in the caller's flow (this method is synchronous), so the provider call that follows sees it, and the next
        // Begin replaces it; the value ends with the caller's async method.
        var recording = options.CurrentValue.Enabled ? new FetchRecording(provider, symbol, time.GetUtcNow()) : null;
        Current.Value = recording;
        return recording;
    }

    /// <summary>
    /// Writes what <paramref name="recording"/> captured (nothing when the provider sent nothing) and keeps the cap. The folder
    /// is named by <paramref name="asOf"/>, the snapshot's time as the provider stamped it, so a replay gives the same time;
    /// a fetch that failed is named by when it started.
    /// </summary>
    public async Task SaveAsync(FetchRecording? recording, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        if (recording is null)
        {
            return;
        }

        if (recording.Payloads.Count == 0)
        {
            return;
        }

        var settings = options.CurrentValue;
        var root = System.IO.Path.GetFullPath(settings.Path);
        var at = (asOf ?? recording.StartedAt).UtcDateTime;
        var folder = System.IO.Path.Combine(root, at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Safe(recording.Provider),
            $"{at.ToString(FolderTimeFormat, CultureInfo.InvariantCulture)}-{Safe(recording.Symbol)}");
        await gate.WaitAsync(cancellationToken);
        try
        {
            totalBytes ??= SizeOf(root);
            Directory.CreateDirectory(folder);
            for (var i = 0; i < recording.Payloads.Count; i++)
            {
                var (name, payload) = recording.Payloads[i];
                var file = System.IO.Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{i + 1:00}-{name}.json.gz"));
                await using (var stream = File.Create(file))
                await using (var gzip = new GZipStream(stream, CompressionLevel.Fastest))
                {
                    await gzip.WriteAsync(payload, cancellationToken);
                }

                totalBytes += new FileInfo(file).Length;
            }

            Trim(root, settings.MaxBytes);
        }
        catch (IOException error)
        {
            LogFailed(logger, folder, error.Message);
        }
        catch (UnauthorizedAccessException error)
        {
            LogFailed(logger, folder, error.Message);
        }
        finally
        {
            gate.Release();
        }
    }

    private void Trim(string root, long cap)
    {
        while (totalBytes > cap)
        {
            var days = Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).ToList();
            if (days.Count == 0)
            {
                totalBytes = 0;
                return;
            }

            var victim = days.Count > 1
                ? days[0]
                : Directory.EnumerateDirectories(days[0], "*", SearchOption.AllDirectories)
                    .Where(d => !Directory.EnumerateDirectories(d).Any())
                    .OrderBy(d => System.IO.Path.GetFileName(d), StringComparer.Ordinal)
                    .FirstOrDefault();
            if (victim is null)
            {
                return;
            }

            var size = SizeOf(victim);
            Directory.Delete(victim, recursive: true);
            totalBytes -= size;
            LogRemoved(logger, victim, size);
            if (days.Count == 1 && size == 0)
            {
                return;
            }
        }
    }

    public void Dispose() => gate.Dispose();

    private static long SizeOf(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    /// <summary><c>/v1/markets/options/chains?…&amp;expiration=2026-12-18</c> → <c>chains-2026-12-18</c>; <c>/…/_SPX.json</c> → <c>_SPX</c>.</summary>
    internal static string NameOf(Uri? uri)
    {
        if (uri is null)
        {
            return "payload";
        }

        var name = System.IO.Path.GetFileNameWithoutExtension(uri.AbsolutePath.TrimEnd('/'));
        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries);
        var expiration = query.FirstOrDefault(p => p.StartsWith("expiration=", StringComparison.Ordinal));
        return Safe(expiration is null ? name : $"{name}-{Uri.UnescapeDataString(expiration["expiration=".Length..])}");
    }

    private static string Safe(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return builder.Length == 0 ? "payload" : builder.ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record provider payloads in {Folder}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string folder, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recordings over their cap: removed {Folder} ({Bytes} bytes)")]
    private static partial void LogRemoved(ILogger logger, string folder, long bytes);
}

/// <summary>The payloads one provider call received, in order.</summary>
internal sealed class FetchRecording(string provider, string symbol, DateTimeOffset startedAt)
{
    private readonly Lock gate = new();

    public string Provider => provider;

    public string Symbol => symbol;

    public DateTimeOffset StartedAt => startedAt;

    public List<(string Name, byte[] Payload)> Payloads { get; } = [];

    public void Add(string name, byte[] payload)
    {
        lock (gate)
        {
            Payloads.Add((name, payload));
        }
    }
}
