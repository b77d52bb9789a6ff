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
}
