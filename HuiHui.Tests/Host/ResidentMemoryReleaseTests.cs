using System.IO.MemoryMappedFiles;
using HuiHui.Host.Hosting;
using HuiHui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HuiHui.Tests.Host;

public sealed class ResidentMemoryReleaseTests
{
    [Test]
    public void ReleaseFilePages_GivesBackTheReadPagesOfAPrivateFileMapping_AndKeepsWhatTheProcessWrote()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("madvise and /proc are Linux's");
        }

        // 64 MiB of a file mapped privately (as the runtime maps its images), every page read; one page written (copy-on-write).
        const int Size = 64 * 1024 * 1024;
        var path = Path.Combine(Path.GetTempPath(), $"huihui-pages-{Guid.NewGuid():N}.bin");
        var content = new byte[Size];
        for (var i = 0; i < Size; i += 4096)
        {
            content[i] = (byte)(i / 4096 % 251);
        }

        File.WriteAllBytes(path, content);
        try
        {
            using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.CopyOnWrite);
            using var view = file.CreateViewAccessor(0, Size, MemoryMappedFileAccess.CopyOnWrite);
            long sum = 0;
            for (var i = 0; i < Size; i += 4096)
            {
                sum += view.ReadByte(i);
            }

            view.Write(4096 * 7, (byte)0xEE);

            var result = ResidentMemoryRelease.ReleaseFilePages();
            if (result is null)
            {
                Assert.Ignore("this kernel knows no MADV_PAGEOUT");
            }

            var (before, after) = result.Value;
            Assert.That(before - after, Is.GreaterThan(32 * 1024), $"resident file-backed memory {before} KiB before, {after} KiB after (pages read: {sum})");
            Assert.Multiple(() =>
            {
                Assert.That(view.ReadByte(4096 * 7), Is.EqualTo(0xEE), "the page the process wrote keeps its change");
                Assert.That(view.ReadByte(4096 * 9), Is.EqualTo(9), "a page given back reads the file again");
                Assert.That(view.ReadByte(Size - 4096), Is.EqualTo((Size / 4096 - 1) % 251));
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void CompactHeap_GivesBackTheFreeSpaceBetweenLargeSurvivors_AndKeepsThem()
    {
        var kept = AllocateLargeArrays_KeepingEveryEighth();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);

        var swept = GC.GetGCMemoryInfo().GenerationInfo[3].FragmentationAfterBytes;
        Assert.That(swept, Is.GreaterThan(8L << 20), "the sweep left free space between the large survivors");

        var (before, after, pause) = ResidentMemoryRelease.CompactHeap();

        var why = $"committed {before >> 20} MiB before, {after >> 20} MiB after, {swept >> 20} MiB free in the large-object heap before ({pause.TotalMilliseconds:F1} ms pause)";
        Assert.That(GC.GetGCMemoryInfo().GenerationInfo[3].FragmentationAfterBytes, Is.LessThan(1L << 20), why);
        Assert.That(before - after, Is.GreaterThanOrEqualTo(swept / 2), why);
        Assert.That(kept.Select((array, i) => array[^1] == (byte)(i * 8 % 200) && array.Length == 1 << 20), Is.All.True, "the survivors moved whole");
    }

    // 192 large arrays of 1 MiB, every eighth kept: the large-object heap is left with 168 MiB free between survivors, which
    // sweeping alone leaves in place. In a method of its own so that no local of the caller keeps the others alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static List<byte[]> AllocateLargeArrays_KeepingEveryEighth()
    {
        var kept = new List<byte[]>();
        for (var i = 0; i < 192; i++)
        {
            var array = new byte[1 << 20];
            Array.Fill(array, (byte)(i % 200));
            if (i % 8 == 0)
            {
                kept.Add(array);
            }
        }

        return kept;
    }

    [TestCase("7fd11d830000-7fd123f6c000 r-xp 00000000 fe:00 12028286                   /app/HuiHui.Host.r2r.dll", true, 0x673c000UL)]
    [TestCase("7fd123f8b000-7fd12754b000 rw-p 0673b000 fe:00 12028286                   /app/lib with space.so", true, 0x35c0000UL)]
    [TestCase("7f9078263000-7f907826b000 rw-s 00000000 fe:00 4411                       /data/cache/huihui.db-shm", false, 0UL)]
    [TestCase("7f9078263000-7f907826b000 r-xs 00000000 00:01 2050                       /memfd:doublemapper (deleted)", false, 0UL)]
    [TestCase("7f9078263000-7f907826b000 r-xp 00000000 00:01 2050                       /memfd:doublemapper (deleted)", false, 0UL)]
    [TestCase("7f9078263000-7f907826b000 rw-p 00000000 00:05 12                         /dev/zero (deleted)", false, 0UL)]
    [TestCase("7ffc1c5e1000-7ffc1c602000 rw-p 00000000 00:00 0                          [stack]", false, 0UL)]
    [TestCase("7ffc1c5e1000-7ffc1c602000 rw-p 00000000 00:00 0", false, 0UL)]
    public void TryParseFileMapping_TakesPrivateMappingsOfRegularFilesOnly(string line, bool taken, ulong length)
    {
        Assert.That(ResidentMemoryRelease.TryParseFileMapping(line, out _, out var parsed), Is.EqualTo(taken));
        Assert.That(parsed, Is.EqualTo(length));
    }

    [TestCase(10L << 20, 4L << 20, 6L << 20)]
    [TestCase(10L << 20, 10L << 20, 0L)]
    [TestCase(10L << 20, (10L << 20) + 65536, 0L)]
    public void FileReleased_IsTheFallInResidentFilePages_NeverBelowZero(long before, long after, long released)
    {
        var figures = new ResidentMemoryRelease.Figures(DateTimeOffset.UtcNow, null, null, null, before, after);
        Assert.That(figures.FileReleased, Is.EqualTo(released));
    }

    [Test]
    public void FileReleased_IsNull_WhenNoFilePagesWereAskedFor()
    {
        var figures = new ResidentMemoryRelease.Figures(DateTimeOffset.UtcNow, 100, 50, TimeSpan.FromMilliseconds(3), null, null);
        Assert.That(figures.FileReleased, Is.Null);
    }

    [Test]
    public async Task TheHealthPage_ShowsTheLatestRelease()
    {
        var release = ResidentMemoryRelease.ReleaseNow(compact: true, filePages: OperatingSystem.IsLinux());
        Assert.That(ResidentMemoryRelease.Last, Is.SameAs(release));

        var (health, line) = await HealthReleaseLineAsync();
        Assume.That(ResidentMemoryRelease.Last, Is.SameAs(release), "the hub's own release came in between");
        Assert.That(line, Does.StartWith($"Given back at {release.At:HH:mm:ss} UTC: the "), health);
        Assert.That(line, Does.Match(HeapPhrase));
        if (release.FileBefore is not null)
        {
            Assert.That(line, Does.Match(@"; \d+(\.\d MiB| KiB) of file pages\.$"));
        }
    }

    [Test]
    public async Task TheHealthPage_ShowsTheLatestCompaction_WhenTheLatestReleaseGaveBackFilePagesOnly()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("file pages are given back on Linux only");
        }

        var compaction = ResidentMemoryRelease.ReleaseNow(compact: true, filePages: false);
        var pages = ResidentMemoryRelease.ReleaseNow(compact: false, filePages: true);
        Assert.That((ResidentMemoryRelease.Last, ResidentMemoryRelease.LastCompaction), Is.EqualTo((pages, compaction)));
        Assert.That(pages.Pause, Is.Null);
        Assume.That(pages.FileBefore, Is.Not.Null, "this kernel has no madvise(MADV_PAGEOUT)");

        var (health, line) = await HealthReleaseLineAsync();
        Assume.That(ResidentMemoryRelease.Last, Is.SameAs(pages), "the hub's own release came in between");
        Assert.That(line, Does.Match($@"^Given back at {pages.At:HH:mm:ss} UTC: \d+(\.\d MiB| KiB) of file pages\. "
            + $@"The heap was last compacted at {compaction.At:HH:mm:ss} UTC: {HeapPhrase}\.$"), health);
    }

    [Test]
    public void TheHeapsFigures_SayAGrowthSinceTheLastCollection_AsSuch_NeverAsAnAmountGivenBack()
    {
        var at = DateTimeOffset.UnixEpoch;
        var fell = new ResidentMemoryRelease.Figures(at, 75_392_614, 28_311_552, TimeSpan.FromMilliseconds(50), null, null);
        var grew = new ResidentMemoryRelease.Figures(at, 17_091_788, 29_674_700, TimeSpan.FromMilliseconds(46), null, null);

        Assert.That(fell.DescribeHeap(), Is.EqualTo("the GC's committed memory 71.9 MiB → 27.0 MiB (a 50 ms pause)"));
        Assert.That(grew.DescribeHeap(), Is.EqualTo("the heap compacted to 28.3 MiB committed (a 46 ms pause), above the 16.3 MiB of the GC's collection before: it had grown since"));
        Assert.That(new ResidentMemoryRelease.Figures(at, null, null, null, 1 << 20, 0).DescribeHeap(), Is.Null, "no compaction, nothing said of the heap");
        Assert.That(ResidentMemoryRelease.Figures.Mib(512 << 10), Is.EqualTo("512 KiB"));
    }

    /// <summary>What the page says of a compaction, whichever way the committed memory went (<see cref="ResidentMemoryRelease.Figures.DescribeHeap"/>).</summary>
    private const string HeapPhrase = @"(the GC's committed memory \d+\.\d MiB → \d+\.\d MiB \(a \d+ ms pause\)|the heap compacted to \d+\.\d MiB committed \(a \d+ ms pause\), above the \d+\.\d MiB of the GC's collection before: it had grown since)";

    /// <summary>The Health page as an analyst reads it, and its release line as text.</summary>
    private static async Task<(string Page, string Line)> HealthReleaseLineAsync()
    {
        await HubAccounts.EnsureUsersAsync(Testing.Factory.Services);
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);
        var health = await client.GetStringAsync("/Health");
        var encoded = System.Text.RegularExpressions.Regex.Match(health, "data-testid=\"health-release\">([^<]*)").Groups[1].Value;
        return (health, System.Net.WebUtility.HtmlDecode(encoded).Trim());
    }

    [TestCase(600, 60, true, 60, 10)]
    [TestCase(600, 180, true, 180, 3)]
    [TestCase(600, 0, true, 600, 1)]
    [TestCase(600, 900, true, 600, 1)]
    [TestCase(600, 60, false, 600, 1)]
    public void Cadence_GivesFilePagesTheirOwnTick_AndCompactsOnEveryNthOfThem(int intervalSeconds, int fileSeconds, bool filePages, int tickSeconds, int compactEvery)
    {
        var cadence = ResidentMemoryRelease.Cadence(TimeSpan.FromSeconds(intervalSeconds), TimeSpan.FromSeconds(fileSeconds), filePages);
        Assert.That(cadence, Is.EqualTo((TimeSpan.FromSeconds(tickSeconds), compactEvery)));
    }

    [Test]
    public void TheHub_RunsTheRelease()
    {
        Assert.That(Testing.Factory.Services.GetServices<IHostedService>().OfType<ResidentMemoryRelease>().Count(), Is.EqualTo(1));
    }
}
