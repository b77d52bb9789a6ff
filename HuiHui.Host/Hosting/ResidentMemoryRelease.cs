using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace HuiHui.Host.Hosting;

/// <summary>
/// Gives back what the hub holds resident but no longer uses, a minute after start (the warm-ups and first cycles are
/// done by then) and then on two cadences:
/// <list type="number">
/// <item>every <c>HuiHui:Runtime:MemoryReleaseInterval</c> (10 minutes by default; 0 turns all of it off), one compacting
/// full collection, the large-object heap included (<c>HuiHui:Runtime:CompactHeap</c>, on by default). The server GC's
/// background collections do not compact, so the free space between the survivors of the start (the model's load, the
/// warm-ups' large arrays) and of each second's chains stays committed; a compaction returns it. Each pauses the process
/// (tens of milliseconds; logged).</item>
/// <item>every <c>HuiHui:Runtime:FilePageReleaseInterval</c> (a minute by default; 0: with the compaction only), the
/// kernel is asked to reclaim the pages of every private file mapping (<c>madvise(MADV_PAGEOUT)</c>, Linux 5.4 and
/// later). Starting reads much of the composite ReadyToRun image (the host's build, the migrations, the warm-ups) and
/// ONNX Runtime's library, and the occasional paths (the minute's and the hour's jobs, the day's turn) read more as the
/// minutes pass, the kernel mapping the pages around each fault as well; those pages would otherwise stay resident
/// though rarely or never used again. A clean file page given back loses nothing — used again, it is read again — and
/// pages the process changed (copy-on-write) are not file pages and stay (on a machine with swap the kernel may swap
/// those few megabytes out instead; they come back when used). The cost is those reads: ~30 MB a minute at 50 symbols /
/// 1 s.</item>
/// </list>
/// docs/performance.md, "Ninth pass" and "Tenth pass", has what each gives back at 50 symbols / 1 s. On another OS or an
/// older kernel the file pages are left alone.
/// </summary>
internal sealed partial class ResidentMemoryRelease(IConfiguration configuration, ILogger<ResidentMemoryRelease> logger) : BackgroundService
{
    public const string IntervalKey = "HuiHui:Runtime:MemoryReleaseInterval";
    public const string CompactKey = "HuiHui:Runtime:CompactHeap";
    public const string FilePagesKey = "HuiHui:Runtime:FilePageReleaseInterval";

    /// <summary>How long after start the first release comes: the warm-ups and the first cycles are done by then.</summary>
    public static readonly TimeSpan FirstRelease = TimeSpan.FromMinutes(1);

    private static Figures? last;
    private static Figures? lastCompaction;

    /// <summary>What one release gave back, in bytes: the GC's committed memory before and after its compaction and the
    /// pause (null when compaction is off), the resident file-backed memory before and after (null when the file pages
    /// were not asked for or the kernel has no such request).</summary>
    internal sealed record Figures(DateTimeOffset At, long? CommittedBefore, long? CommittedAfter, TimeSpan? Pause, long? FileBefore, long? FileAfter)
    {
        /// <summary>The file-backed memory given back, in bytes: the fall in the resident file pages, never below zero.
        /// It is a net figure: the kernel does not say what it paged out, and the hub's other threads fault pages back in
        /// while the request runs, so the resident figure can end a few pages above where it began.</summary>
        public long? FileReleased => FileBefore is { } before ? Math.Max(0, before - (FileAfter ?? before)) : null;

        /// <summary>
        /// The compaction in words (the Health page), null when the heap was not compacted. The figure before is the GC's at
        /// its previous collection — the runtime keeps none more recent — so when the heap grew after it, the committed
        /// memory can end above it: that is said as such, never shown as an amount given back.
        /// </summary>
        public string? DescribeHeap()
        {
            if (Pause is not { } pause || CommittedBefore is not { } before || CommittedAfter is not { } after)
            {
                return null;
            }

            return after <= before
                ? string.Create(CultureInfo.InvariantCulture, $"the GC's committed memory {Mib(before)} → {Mib(after)} (a {pause.TotalMilliseconds:F0} ms pause)")
                : string.Create(CultureInfo.InvariantCulture, $"the heap compacted to {Mib(after)} committed (a {pause.TotalMilliseconds:F0} ms pause), above the {Mib(before)} of the GC's collection before: it had grown since");
        }

        /// <summary>Bytes as MiB with one decimal, or KiB under one MiB.</summary>
        public static string Mib(long bytes) => bytes >= 1 << 20
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MiB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F0} KiB");
    }

    /// <summary>The latest release in this process (the Health page's <em>This process</em> panel), null before the first.</summary>
    public static Figures? Last => Volatile.Read(ref last);

    /// <summary>The latest release that compacted the heap (file pages are given back more often than the heap is compacted).</summary>
    public static Figures? LastCompaction => Volatile.Read(ref lastCompaction);

    /// <summary>
    /// How the two cadences meet: a release every <c>Tick</c> (the file pages' interval when they are given back more often
    /// than the heap is compacted, else the compaction's), and the compaction with every <c>CompactEvery</c>-th of them,
    /// the first included.
    /// </summary>
    internal static (TimeSpan Tick, int CompactEvery) Cadence(TimeSpan interval, TimeSpan filePageInterval, bool filePages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        if (!filePages || filePageInterval <= TimeSpan.Zero || filePageInterval >= interval)
        {
            return (interval, 1);
        }

        return (filePageInterval, Math.Max(1, (int)Math.Round(interval / filePageInterval)));
    }

    private const int MadvPageout = 21;
    private const int Einval = 22;

    /// <summary>One release: the compaction when <paramref name="compact"/>, then the file pages when <paramref name="filePages"/>.</summary>
    public static Figures ReleaseNow(bool compact, bool filePages)
    {
        var at = DateTimeOffset.UtcNow;
        (long CommittedBefore, long CommittedAfter, TimeSpan Pause)? heap = compact ? CompactHeap() : null;
        var pages = filePages ? ReleaseFilePages() : null;
        var figures = new Figures(at, heap?.CommittedBefore, heap?.CommittedAfter, heap?.Pause, pages?.BeforeKiB * 1024, pages?.AfterKiB * 1024);
        if (heap is not null)
        {
            Volatile.Write(ref lastCompaction, figures);
        }

        Volatile.Write(ref last, figures);
        return figures;
    }

    /// <summary>One blocking, compacting collection of every generation and the large-object heap. Returns the GC's
    /// committed bytes before and after and the pause.</summary>
    public static (long CommittedBefore, long CommittedAfter, TimeSpan Pause) CompactHeap()
    {
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return (before, info.TotalCommittedBytes, info.PauseDurations[0]);
    }

    /// <summary>Asks the kernel to reclaim the resident pages of every private mapping of a regular file in this process.
    /// Returns the resident file-backed memory before and after, in KiB, or null when the kernel or the OS has no such
    /// request.</summary>
    public static (long BeforeKiB, long AfterKiB)? ReleaseFilePages()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var before = ResidentFileKiB();
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                if (!TryParseFileMapping(line, out var start, out var length))
                {
                    continue;
                }

                if (Madvise((nint)start, (nuint)length, MadvPageout) != 0 && Marshal.GetLastPInvokeError() == Einval)
                {
                    return null; // a kernel before 5.4 knows no MADV_PAGEOUT (other errors: a range unmapped meanwhile, skipped)
                }
            }
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // a C library not named libc.so.6 (musl)
        }

        return (before, ResidentFileKiB());
    }

    /// <summary>A line of <c>/proc/PID/maps</c> naming a private mapping of a regular file (not a device, not the JIT's
    /// shared double mapping, not an anonymous or special region).</summary>
    internal static bool TryParseFileMapping(string line, out ulong start, out ulong length)
    {
        start = length = 0;
        // "7fd11d830000-7fd123f6c000 r-xp 00000000 fe:00 12028286    /path/to/file"
        var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 6 || parts[1].Length != 4 || parts[1][3] != 'p')
        {
            return false;
        }

        var path = parts[5].Trim();
        if (!path.StartsWith('/') || path.StartsWith("/dev/", StringComparison.Ordinal) || path.StartsWith("/memfd:", StringComparison.Ordinal))
        {
            return false;
        }

        var range = parts[0].Split('-');
        if (range.Length != 2
            || !ulong.TryParse(range[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out start)
            || !ulong.TryParse(range[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end)
            || end <= start)
        {
            return false;
        }

        length = end - start;
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue(IntervalKey, TimeSpan.FromMinutes(10));
        var compact = configuration.GetValue(CompactKey, true);
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        var filePages = OperatingSystem.IsLinux();
        var (tick, compactEvery) = Cadence(interval, configuration.GetValue(FilePagesKey, TimeSpan.FromMinutes(1)), filePages);
        await Task.Delay(FirstRelease, stoppingToken);
        for (var n = 0L; ; n++)
        {
            var major = n % compactEvery == 0;
            if (major || filePages)
            {
                filePages = Release(compact && major, filePages, major);
            }

            await Task.Delay(tick, stoppingToken);
        }
    }

    /// <summary>One release, logged (at Information when <paramref name="major"/>, the compaction's cadence; the minute's
    /// file pages at Debug); returns whether file pages can still be given back on this system.</summary>
    private bool Release(bool compact, bool filePages, bool major)
    {
        try
        {
            var release = ReleaseNow(compact, filePages);
            if (release.Pause is { } pause)
            {
                LogCompacted(logger, release.CommittedBefore!.Value / 1048576.0, release.CommittedAfter!.Value / 1048576.0, pause.TotalMilliseconds);
            }

            if (release.FileReleased is { } given)
            {
                var released = given / 1048576.0;
                var remaining = release.FileAfter!.Value / 1048576.0;
                if (major)
                {
                    LogReleased(logger, released, remaining);
                }
                else
                {
                    LogReleasedOften(logger, released, remaining);
                }
            }
            else if (filePages)
            {
                LogUnavailable(logger);
                return false;
            }
        }
        catch (IOException error)
        {
            LogFailed(logger, error); // /proc unreadable this time: the next release tries again
        }

        return filePages;
    }

    private static long ResidentFileKiB() => (ProcessFigures.ParseStatus(File.ReadLines("/proc/self/status")).File ?? 0) / 1024;

    [LibraryImport("libc.so.6", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);

    [LoggerMessage(Level = LogLevel.Information, Message = "Managed heap compacted: the GC's committed memory {BeforeMiB:F1} → {AfterMiB:F1} MiB, a {PauseMs:F1} ms pause")]
    private static partial void LogCompacted(ILogger logger, double beforeMiB, double afterMiB, double pauseMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "File-backed pages given back: {ReleasedMiB:F1} MiB ({RemainingMiB:F1} MiB still resident)")]
    private static partial void LogReleased(ILogger logger, double releasedMiB, double remainingMiB);

    [LoggerMessage(Level = LogLevel.Debug, Message = "File-backed pages given back: {ReleasedMiB:F1} MiB ({RemainingMiB:F1} MiB still resident)")]
    private static partial void LogReleasedOften(ILogger logger, double releasedMiB, double remainingMiB);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Memory release failed; the next one tries again")]
    private static partial void LogFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "File-backed pages are not given back: this system has no madvise(MADV_PAGEOUT) (Linux 5.4 and later, glibc)")]
    private static partial void LogUnavailable(ILogger logger);
}
