using HuiHui.Modules.Experts;
using Mediator;

namespace HuiHui.Host.Hosting;

/// <summary>A web-less host with the same configuration and modules as the hub, for CLI verbs. Logs go to stderr.</summary>
internal sealed class CliHost(IHost host) : IDisposable
{
    public IServiceProvider Services => host.Services;

    public static CliHost Build()
    {
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
