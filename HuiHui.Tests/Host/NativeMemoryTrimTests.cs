using System.Runtime.InteropServices;
using HuiHui.Host.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HuiHui.Tests.Host;

public sealed class NativeMemoryTrimTests
{
    [Test]
    public void TrimNow_GivesBackTheFreedPagesGlibcKeptBelowALiveBlock()
    {
        if (!NativeMemoryTrim.IsAvailable)
        {
            Assert.Ignore("glibc's malloc_trim is not in this process");
        }

        // 64 MiB in 4 KiB blocks (under glibc's mmap threshold, so from a heap), each written, then all freed but the
        // last: the free space lies below a live block, where free() leaves it resident.
        const int Blocks = 16_384;
        const int Size = 4096;
        var page = new byte[Size];
        Array.Fill(page, (byte)0x5A);
        var blocks = new nint[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(Size);
            Marshal.Copy(page, 0, blocks[i], Size);
        }

        for (var i = 0; i < Blocks - 1; i++)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        try
        {
            var before = ResidentAnonymousKiB();
            Assert.That(NativeMemoryTrim.TrimNow(), Is.True);
            var after = ResidentAnonymousKiB();

            Assert.That(before - after, Is.GreaterThan(32 * 1024), $"resident anonymous memory {before} KiB before the trim, {after} KiB after");
        }
        finally
        {
            Marshal.FreeHGlobal(blocks[^1]);
        }
    }

    [Test]
    public void TheHub_RunsTheTrim()
    {
        Assert.That(Testing.Factory.Services.GetServices<IHostedService>().OfType<NativeMemoryTrim>().Count(), Is.EqualTo(1));
    }

    private static long ResidentAnonymousKiB() => ProcessFigures.ParseStatus(File.ReadLines("/proc/self/status")).Anonymous!.Value / 1024;
}
