using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace HuiHui.Host.Hosting;

/// <summary>
/// Gives back the file-backed pages the hub touched only while starting: a minute after start, then every
/// <c>HuiHui:Runtime:FilePageReleaseInterval</c> (10 minutes by default; 0 turns it off), the kernel is asked to reclaim
/// the pages of every private file mapping of the process (<c>madvise(MADV_PAGEOUT)</c>, Linux 5.4 and later). Starting
/// reads much of the composite ReadyToRun image (the host's build, the migrations, the warm-ups) and ONNX Runtime's
/// library, and the kernel maps the pages around each fault as well; those pages then stay resident though never used
/// again (docs/performance.md, "Ninth pass": ~100 of the image's 166 MB, of which ~35 MB come back within minutes).
/// Reclaiming a clean file page loses nothing — a page used again is read again — and pages the process changed
/// (copy-on-write) are not file pages and stay. On another OS or an older kernel the service does nothing.
/// </summary>
internal sealed partial class FilePageRelease(IConfiguration configuration, ILogger<FilePageRelease> logger) : BackgroundService
{
    public const string IntervalKey = "HuiHui:Runtime:FilePageReleaseInterval";

    /// <summary>How long after start the first release comes: the warm-ups and the first cycles are done by then.</summary>
    public static readonly TimeSpan FirstRelease = TimeSpan.FromMinutes(1);

    private const int MadvPageout = 21;
    private const int Einval = 22;

    /// <summary>Asks the kernel to reclaim the resident pages of every private mapping of a regular file in this process.
    /// Returns the resident file-backed memory before and after, in KiB, or null when the kernel or the OS has no such
    /// request.</summary>
    public static (long BeforeKiB, long AfterKiB)? ReleaseNow()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var before = ResidentFileKiB();
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
        if (interval <= TimeSpan.Zero || !OperatingSystem.IsLinux())
        {
            return;
        }

        await Task.Delay(FirstRelease, stoppingToken);
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            if (ReleaseNow() is not { } result)
            {
                LogUnavailable(logger);
                return;
            }

            LogReleased(logger, (result.BeforeKiB - result.AfterKiB) / 1024.0, result.AfterKiB / 1024.0, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await Task.Delay(interval, stoppingToken);
        }
    }

    private static long ResidentFileKiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssFile:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan("RssFile:".Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    [LibraryImport("libc.so.6", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);

    [LoggerMessage(Level = LogLevel.Information, Message = "File-backed pages given back: {ReleasedMiB:F1} MiB ({RemainingMiB:F1} MiB still resident) in {Milliseconds:F1} ms")]
    private static partial void LogReleased(ILogger logger, double releasedMiB, double remainingMiB, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "File-backed pages are not given back: the kernel knows no MADV_PAGEOUT (Linux 5.4 and later)")]
    private static partial void LogUnavailable(ILogger logger);
}
