using HuiHui.Modules.Experts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;

namespace HuiHui.Host.Hosting;

/// <summary>A web-less host with the same configuration and modules as the hub, for CLI verbs. Logs go to stderr.</summary>
internal sealed class CliHost(IHost host) : IDisposable
{
    public IServiceProvider Services => host.Services;

    /// <param name="primeAnalysis">
    /// The verb is about to analyse: the modules' <see cref="ModuleDescriptor.Prime"/> run on a spare core while the host is
    /// built, so the analysis finds its code compiled (a one-shot <c>analyze</c> otherwise compiles it on its own path).
    /// </param>
    public static CliHost Build(bool primeAnalysis = false)
    {
        if (primeAnalysis)
        {
            StartPriming();
        }

        // A verb runs once and exits: its appsettings files are read, not watched (a watcher costs a thread and ~25 ms to set up).
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new KeyValuePair<string, string?>("hostBuilder:reloadConfigOnChange", "false")]);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            Configuration = configuration,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        // Verbs print their own results; only warnings and errors are logged (to stderr), whatever appsettings says.
        builder.Services.Configure<LoggerFilterOptions>(filters =>
        {
            filters.Rules.Clear();
            filters.MinLevel = LogLevel.Warning;
        });
        // A verb resolves a handful of services once: validating every registration at build (what Development turns on)
        // would build call sites for the whole graph first, at each run. The test suite validates the graph
        // (ModuleServices builds it with ValidateOnBuild and ValidateScopes); scopes stay checked here as the environment says.
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions
        {
            ValidateOnBuild = false,
            ValidateScopes = builder.Environment.IsDevelopment(),
        }));
        Program.AddHuiHuiModules(builder.Services, builder.Configuration);
        Program.AddHostDatabases(builder.Services);
        var host = builder.Build();
        ExpertsModule.ValidateConfiguration(host.Services); // a bad regime rule stops every verb, not only the hub
        return new CliHost(host);
    }

    /// <summary>
    /// On a thread of its own (started at once, where the thread pool adds threads only as it sees them needed), background
    /// so it never holds the exit. With one core it would only take turns with the verb: not started.
    /// </summary>
    private static void StartPriming()
    {
        if (Environment.ProcessorCount < 2)
        {
            return;
        }

        // From the top layer down: the analysis's own code (the largest part primed: ~50 ms of a one-shot's path on this
        // machine) first, the cache's SQLite after it (docs/performance.md, "Thirteenth pass").
        var order = Program.Modules.Reverse().ToList();
        var primer = new Thread(() =>
        {
            foreach (var module in order)
            {
                try
                {
                    module.Prime?.Invoke();
                }
                catch (Exception error) when (error is not OutOfMemoryException)
                {
                    // Only the speed it was for is lost: the verb runs the same code itself and reports what fails there.
                }
            }
        })
        {
            IsBackground = true,
            Name = "HuiHui primer",
        };
        primer.Start();
    }

    public async Task<TResponse> SendAsync<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, cancellationToken);
    }

    public async Task<TResponse> SendAsync<TResponse>(IQuery<TResponse> query, CancellationToken cancellationToken)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query, cancellationToken);
    }

    /// <summary>CLI verbs do not run the background writers: each module writes what they hold (the responses a verb produced) before exiting.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var module in Program.Modules)
        {
            if (module.Flush is { } flush)
            {
                await flush(host.Services, cancellationToken);
            }
        }
    }

    public void Dispose() => host.Dispose();
}
