using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace HuiHui.Tests.Infrastructure;

/// <summary>
/// The modules without the web host, on the suite's database and a fake clock, with settings of the test's choosing.
/// For module tests that need their own configuration (caps, time limits) or their own clock.
/// </summary>
internal sealed class ModuleServices : IAsyncDisposable
{
    private readonly TimeProvider clock;

    private ModuleServices(ServiceProvider provider, TimeProvider clock)
    {
        Provider = provider;
        this.clock = clock;
    }

    public static readonly DateTimeOffset Start = new(2026, 11, 24, 14, 30, 0, TimeSpan.Zero);

    public ServiceProvider Provider { get; }

    /// <summary>The fake clock; a build on the system clock has none.</summary>
    public FakeTimeProvider Time => clock as FakeTimeProvider ?? throw new InvalidOperationException("built on the system clock");

    /// <summary>On the system clock: for paths whose waits are not ours to drive (HTTP resilience delays and timeouts).</summary>
    /// <param name="settings">Configuration on top of the suite's connection string.</param>
    /// <param name="replace">Registrations to add after the modules' own (the last registration of a service wins).</param>
    public static ModuleServices BuildOnSystemClock(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? replace = null) =>
        Build(settings, TimeProvider.System, replace);

    public static ModuleServices Build(IReadOnlyDictionary<string, string?> settings, FakeTimeProvider? time = null) =>
        Build(settings, (TimeProvider)(time ?? new FakeTimeProvider(Start)), null);

    private static ModuleServices Build(IReadOnlyDictionary<string, string?> settings, TimeProvider time, Action<IServiceCollection>? replace)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = Testing.ConnectionString,
                ["HuiHui:Education:Embeddings:Model"] = Testing.EmbeddingModel,
                ["HuiHui:Persistence:SpoolPath"] = Cache.CacheHarness.NewFolder(),
            })
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(time);
        Program.AddHuiHuiModules(services, configuration);
        replace?.Invoke(services);
        return new ModuleServices(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), time);
    }

    public T Get<T>()
        where T : notnull => Provider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
