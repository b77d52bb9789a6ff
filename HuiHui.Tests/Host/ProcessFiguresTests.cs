using HuiHui.Host.Hosting;

namespace HuiHui.Tests.Host;

public sealed class ProcessFiguresTests
{
    [Test]
    public void ParseStatus_ReadsTheResidentLines_InBytes_AndLeavesAMissingOneNull()
    {
        // The lines as Linux prints them (proc(5)), tabs and all; RssShmem left out.
        string[] status =
        [
            "Name:\tHuiHui.Host",
            "VmPeak:\t 4123456 kB",
            "VmRSS:\t  512000 kB",
            "RssAnon:\t  260000 kB",
            "RssFile:\t  190000 kB",
            "Threads:\t43",
            "voluntary_ctxt_switches:\t12",
        ];

        var (resident, anonymous, file, shared) = ProcessFigures.ParseStatus(status);

        Assert.That(resident, Is.EqualTo(512_000L * 1024));
        Assert.That(anonymous, Is.EqualTo(260_000L * 1024));
        Assert.That(file, Is.EqualTo(190_000L * 1024));
        Assert.That(shared, Is.Null);
    }

    [Test]
    public void Read_SplitsTheResidentMemoryAsTheKernelCountsIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("/proc/self/status is Linux's");
        }

        var figures = ProcessFigures.Read();

        Assert.That(figures.AnonymousBytes, Is.Not.Null);
        var parts = figures.AnonymousBytes!.Value + figures.FileBytes!.Value + figures.SharedBytes!.Value;
        Assert.That(parts, Is.EqualTo(figures.ResidentBytes).Within(1).Percent, "VmRSS is the sum of RssAnon, RssFile and RssShmem");
        Assert.That(figures.GcCommittedBytes, Is.GreaterThanOrEqualTo(figures.GcHeapBytes - figures.GcFragmentedBytes));
        Assert.That(figures.Threads, Is.GreaterThan(1));
        Assert.That(figures.Uptime, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(figures.CpuTime, Is.GreaterThan(TimeSpan.Zero));
    }

    [Test]
    public void DescribeCollector_SaysWhichGcAndHowItIsTuned()
    {
        var serverDatas = new Dictionary<string, object>
        {
            ["ServerGC"] = true, ["ConcurrentGC"] = true, ["HeapCount"] = 2L, ["GCDynamicAdaptationMode"] = 1L, ["GCConserveMem"] = 7L,
        };
        var serverFixed = new Dictionary<string, object>
        {
            ["ServerGC"] = true, ["ConcurrentGC"] = false, ["HeapCount"] = 1L, ["GCDynamicAdaptationMode"] = 0L, ["GCConserveMem"] = 0L,
        };
        var workstation = new Dictionary<string, object> { ["ServerGC"] = false, ["ConcurrentGC"] = true, ["HeapCount"] = 1L };

        Assert.That(ProcessFigures.DescribeCollector(serverDatas),
            Is.EqualTo("server GC, 2 heaps now (DATAS adapts the number to the load) · background collections · conserve-memory level 7"));
        Assert.That(ProcessFigures.DescribeCollector(serverFixed), Is.EqualTo("server GC, 1 heap · no background collections · conserve-memory off"));
        Assert.That(ProcessFigures.DescribeCollector(workstation), Is.EqualTo("workstation GC · background collections · conserve-memory off"));
    }

    [Test]
    public void Read_DescribesTheCollectorThisProcessRuns()
    {
        var collector = ProcessFigures.Read().Collector;

        Assert.That(collector, Does.StartWith(System.Runtime.GCSettings.IsServerGC ? "server GC" : "workstation GC"));
        var level = Convert.ToInt64(GC.GetConfigurationVariables()["GCConserveMem"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(collector, Does.EndWith(level > 0 ? $"conserve-memory level {level}" : "conserve-memory off"));
    }

    [Test]
    public void TheHost_ShipsWithTheGcConservingMemory_AtLevel7()
    {
        // The runtime reads the host's settings from HuiHui.Host.runtimeconfig.json beside HuiHui.Host.dll (the suite's
        // own process has its own); DOTNET_GCConserveMemory overrides it (docs/operations.md).
        var path = Path.Combine(AppContext.BaseDirectory, "HuiHui.Host.runtimeconfig.json");
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var value = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.GC.ConserveMemory");

        Assert.That(value.ValueKind == System.Text.Json.JsonValueKind.Number ? value.GetInt32() : int.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            Is.EqualTo(7));
    }
}
