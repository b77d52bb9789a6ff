using HuiHui.Modules.Cache;
using HuiHui.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace HuiHui.Tests.Cache;

/// <summary>A cache with its own disk folder and settings, on a fake clock. Dispose it to release the disk file.</summary>
internal sealed class CacheHarness : IAsyncDisposable
{
    private readonly ModuleServices services;

    private CacheHarness(ModuleServices services, string folder)
    {
        this.services = services;
        Folder = folder;
    }

    public string Folder { get; }

    public FakeTimeProvider Time => services.Time;

    public EnhancedCache Cache => services.Get<EnhancedCache>();

    public static CacheHarness Create(string? folder = null, IReadOnlyDictionary<string, string?>? settings = null, FakeTimeProvider? time = null)
    {
        folder ??= NewFolder();
        var all = new Dictionary<string, string?> { ["HuiHui:Cache:DiskPath"] = folder };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new CacheHarness(ModuleServices.Build(all, time), folder);
    }

    /// <summary>This run's folder for cache files; removed when the run ends (<see cref="Testing"/>).</summary>
    public static string RunFolder { get; } = Path.Combine(Path.GetTempPath(), "huihui-tests", Guid.NewGuid().ToString("N"));

    public static string NewFolder() => Path.Combine(RunFolder, Guid.NewGuid().ToString("N"));

    public ValueTask DisposeAsync() => services.DisposeAsync();
}

/// <summary>A value of about <paramref name="Pad"/>'s length once serialized.</summary>
internal sealed record Quote(string Symbol, double Price, string Pad = "")
{
    public static Quote Sized(int index, int bytes) => new($"S{index}", index, new string('x', bytes));
}
