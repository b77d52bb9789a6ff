using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace HuiHui.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project HuiHui.Benchmarks -- allocations TRACE.nettrace</c>: where a running hub allocates,
/// from a trace taken with <c>dotnet-trace collect -p PID --profile gc-verbose --duration 00:00:00:20</c>. The runtime samples
/// an allocation tick about every 100 KB allocated, with its type and stack; the report sums the ticks' amounts by type, by
/// HuiHui method on the stack (inclusive) and by type with its three nearest HuiHui frames (docs/performance.md).
/// </summary>
internal static class AllocationReport
{
    public static void Run(string tracePath, int top = 25)
    {
        using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(tracePath));
        var byType = new Dictionary<string, long>(StringComparer.Ordinal);
        var byMethod = new Dictionary<string, long>(StringComparer.Ordinal);
        var bySite = new Dictionary<string, long>(StringComparer.Ordinal);
        var largeBySite = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0, large = 0;
        double first = double.NaN, last = 0;
        foreach (var traceEvent in log.Events) // TraceEvents enumerates only through its generic enumerator
        {
            if (traceEvent is not GCAllocationTickTraceData tick)
            {
                continue;
            }

            var bytes = tick.AllocationAmount64;
            var type = tick.TypeName ?? "?";
            total += bytes;
            first = double.IsNaN(first) ? tick.TimeStampRelativeMSec : first;
            last = tick.TimeStampRelativeMSec;
            Add(byType, type, bytes);

            var methods = new HashSet<string>(StringComparer.Ordinal);
            var nearest = new List<string>(3);
            for (var frame = tick.CallStack(); frame is not null; frame = frame.Caller)
            {
                var method = frame.CodeAddress.FullMethodName;
                if (string.IsNullOrEmpty(method) || frame.CodeAddress.ModuleName?.StartsWith("HuiHui", StringComparison.Ordinal) != true || !methods.Add(method))
                {
                    continue;
                }

                Add(byMethod, method, bytes);
                if (nearest.Count < 3)
                {
                    nearest.Add(method);
                }
            }

            Add(bySite, $"{type} <- {string.Join(" <- ", nearest)}", bytes);
            if (tick.AllocationKind == GCAllocationKind.Large)
            {
                large += bytes;
                Add(largeBySite, $"{type} <- {string.Join(" <- ", nearest)}", bytes);
            }
        }

        var seconds = (last - first) / 1000;
        Console.WriteLine($"sampled {total / 1e6:F1} MB over {seconds:F1} s ({total / 1e6 / Math.Max(seconds, 1e-9):F1} MB/s)");
        Print("by type", byType, top);
        Print("by HuiHui method (inclusive)", byMethod, top);
        Print("by type and its nearest HuiHui frames", bySite, top);
        Console.WriteLine($"large-object heap: {large / 1e6:F1} MB ({large / 1e6 / Math.Max(seconds, 1e-9):F2} MB/s)");
        Print("large objects by type and nearest HuiHui frames", largeBySite, top);
    }

    private static void Add(Dictionary<string, long> sums, string key, long bytes) =>
        sums[key] = sums.GetValueOrDefault(key) + bytes;

    private static void Print(string title, Dictionary<string, long> sums, int top)
    {
        Console.WriteLine($"== {title}");
        foreach (var (key, bytes) in sums.OrderByDescending(s => s.Value).Take(top))
        {
            Console.WriteLine($"{bytes / 1e6,9:F1} MB  {key}");
        }
    }
}
