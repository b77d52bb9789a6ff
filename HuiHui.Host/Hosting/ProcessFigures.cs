using System.Diagnostics;
using System.Globalization;

namespace HuiHui.Host.Hosting;

/// <summary>
/// What the hub's own process holds and has used, for the Health page: resident memory (on Linux split as the kernel
/// counts it: anonymous — the GC's heap and native allocations —, file-backed — the code images and libraries the process
/// touched —, shared — the JIT's double-mapped code), the GC heap at its last collection and what the GC keeps committed
/// for it, collections per generation, CPU since the program started, and what the latest
/// <see cref="ResidentMemoryRelease"/> gave back (with its latest compaction when that release gave back file pages
/// only). docs/performance.md reads the same figures from outside.
/// </summary>
internal sealed record ProcessFigures(
    long ResidentBytes,
    long? AnonymousBytes,
    long? FileBytes,
    long? SharedBytes,
    long GcHeapBytes,
    long GcCommittedBytes,
    long GcFragmentedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    TimeSpan CpuTime,
    TimeSpan Uptime,
    int Threads,
    string Collector,
    ResidentMemoryRelease.Figures? LastRelease,
    ResidentMemoryRelease.Figures? LastCompaction)
{
    private static long startedAt;

    /// <summary>CPU used since the start, as a share of one core (1 = one core busy all the time).</summary>
    public double CpuShareOfOneCore => Uptime > TimeSpan.Zero ? CpuTime / Uptime : 0;

    /// <summary>
    /// Notes when the program started (the first line of <c>Program</c>): <c>huihui.sh</c> execs the hub in its own
    /// process after its checks and any publish, so the process's own start time can be minutes earlier.
    /// </summary>
    public static void MarkStarted() => Interlocked.CompareExchange(ref startedAt, Stopwatch.GetTimestamp(), 0);

    public static ProcessFigures Read()
    {
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        var status = OperatingSystem.IsLinux() ? ParseStatus(File.ReadLines("/proc/self/status")) : default;
        return new ProcessFigures(
            status.Resident ?? process.WorkingSet64,
            status.Anonymous,
            status.File,
            status.Shared,
            gc.HeapSizeBytes,
            gc.TotalCommittedBytes,
            gc.FragmentedBytes,
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            process.TotalProcessorTime,
            Interlocked.Read(ref startedAt) is var marked and > 0 ? Stopwatch.GetElapsedTime(marked) : DateTime.Now - process.StartTime,
            process.Threads.Count,
            DescribeCollector(GC.GetConfigurationVariables()),
            ResidentMemoryRelease.Last,
            ResidentMemoryRelease.LastCompaction);
    }

    /// <summary>
    /// The collector this process runs with, in words, from <see cref="GC.GetConfigurationVariables"/>: server or
    /// workstation, the heaps (and whether DATAS adapts their number to the load), background collections, and the
    /// conserve-memory level (the host ships with 7: HuiHui.Host.csproj, docs/operations.md).
    /// </summary>
    public static string DescribeCollector(IReadOnlyDictionary<string, object> variables)
    {
        bool Flag(string name) => variables.TryGetValue(name, out var value) && value is true;
        long Number(string name) => variables.TryGetValue(name, out var value) ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;

        var heaps = Number("HeapCount");
        var kind = !Flag("ServerGC") ? "workstation GC"
            : Number("GCDynamicAdaptationMode") == 1 ? $"server GC, {heaps} {(heaps == 1 ? "heap" : "heaps")} now (DATAS adapts the number to the load)"
            : $"server GC, {heaps} {(heaps == 1 ? "heap" : "heaps")}";
        var background = Flag("ConcurrentGC") ? "background collections" : "no background collections";
        var conserve = Number("GCConserveMem") is var level and > 0 ? $"conserve-memory level {level}" : "conserve-memory off";
        return $"{kind} · {background} · {conserve}";
    }

    /// <summary>The resident figures of <c>/proc/PID/status</c> (<c>VmRSS</c>, <c>RssAnon</c>, <c>RssFile</c>, <c>RssShmem</c>, in kB), in bytes; a missing line is null.</summary>
    public static (long? Resident, long? Anonymous, long? File, long? Shared) ParseStatus(IEnumerable<string> lines)
    {
        long? resident = null, anonymous = null, file = null, shared = null;
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim();
            if (!value.EndsWith(" kB", StringComparison.Ordinal) || !long.TryParse(value[..^3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
            {
                continue;
            }

            switch (line[..colon])
            {
                case "VmRSS": resident = kib * 1024; break;
                case "RssAnon": anonymous = kib * 1024; break;
                case "RssFile": file = kib * 1024; break;
                case "RssShmem": shared = kib * 1024; break;
            }
        }

        return (resident, anonymous, file, shared);
    }
}
