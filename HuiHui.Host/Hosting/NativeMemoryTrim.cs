using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HuiHui.Host.Hosting;

/// <summary>
/// Gives the native heap's free pages back to the system every <c>HuiHui:Runtime:NativeTrimInterval</c> (a minute by
/// default; 0 turns it off) in the hub. glibc keeps what native code frees — ONNX Runtime's session once the sentence
/// model is let go, SQLite's pages, the runtime's own buffers — inside its heaps and returns only the free space at a
/// heap's top, so a long-running hub keeps the high-water mark of every native burst; <c>malloc_trim(0)</c> releases
/// the free pages anywhere in the heaps (docs/performance.md, "Eighth pass": ~17–26 MB at 50 symbols / 1 s, 3–18 ms a
/// call on a pool thread, once a minute). On a C library without it (musl, another OS) the service does nothing.
/// </summary>
internal sealed partial class NativeMemoryTrim(IConfiguration configuration, ILogger<NativeMemoryTrim> logger) : BackgroundService
{
    public const string IntervalKey = "HuiHui:Runtime:NativeTrimInterval";

    private static readonly Lazy<bool> Available = new(Probe);

    /// <summary>glibc's <c>malloc_trim</c> can be called in this process.</summary>
    public static bool IsAvailable => Available.Value;

    /// <summary>Returns the free pages of every native heap to the system: true when some were given back, false when none
    /// were or the C library has no such call.</summary>
    public static bool TrimNow() => IsAvailable && MallocTrim(0) != 0;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue(IntervalKey, TimeSpan.FromMinutes(1));
        if (interval <= TimeSpan.Zero || !IsAvailable)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var started = Stopwatch.GetTimestamp();
            var released = TrimNow();
            LogTrimmed(logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds, released);
        }
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // Trimming is always safe to call; the probe is a first trim.
            _ = MallocTrim(0);
            return true;
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (musl names its C library otherwise and has no malloc_trim)
        }
    }

    // glibc's soname: a linker script may stand at libc.so, so the versioned name is the one to open.
    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Native heaps trimmed in {Milliseconds:F2} ms (pages given back: {Released})")]
    private static partial void LogTrimmed(ILogger logger, double milliseconds, bool released);
}
