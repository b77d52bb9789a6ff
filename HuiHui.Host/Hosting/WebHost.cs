using HuiHui.Host.Cli;
using Microsoft.Extensions.Options;
using Hangfire;
using Hangfire.PostgreSql;
using HuiHui.Host.Identity;
using HuiHui.Host.Jobs;
using HuiHui.Host.Live;
using HuiHui.Host.Pages.Shared;
using HuiHui.Modules.Cluster.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Npgsql;

namespace HuiHui.Host.Hosting;

/// <summary>The hub: Razor Pages, SignalR, Hangfire server and dashboard, health endpoints, and every module.</summary>
internal static class WebHost
{
    /// <summary>Runs the hub; a configuration that fails validation at start (a regime rule naming no metric, …) exits with 2, naming it.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            await using var app = Build(args);
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException error)
        {
            return new CliOutput(json: false).Fail(HuiHuiCli.Usage, "configuration: " + string.Join("; ", error.Failures));
        }
    }

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Pages, views and the static-assets manifest belong to this assembly, whichever process hosts it (benchmarks too).
            ApplicationName = typeof(WebHost).Assembly.GetName().Name,
            // The build output holds the one appsettings.json (linked from the repository root).
            ContentRootPath = AppContext.BaseDirectory,
        });

        // The hub's files (wwwroot and the npm libraries) from the build output's manifest, in every environment;
        // a published app has no such manifest and serves its own wwwroot.
        builder.WebHost.UseStaticWebAssets();

        // First hosted service: its first migration attempt runs before the modules' loops start.
        builder.Services.AddHostedService<StartupMigrator>();
        Program.AddHuiHuiModules(builder.Services, builder.Configuration);
        Program.AddHostDatabases(builder.Services);

        Telemetry.Add(builder.Services, builder.Configuration);
        builder.Services.AddHubSecurity(builder.Configuration, builder.Environment);
        builder.Services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/", HubRoles.Analyst);
            pages.Conventions.AuthorizeFolder("/Admin", HubRoles.Admin);
            pages.Conventions.AllowAnonymousToFolder("/Account");
            pages.Conventions.AllowAnonymousToPage("/Status");
        });
        // MessagePack beside JSON (a client picks); with Redis, every node's browsers get every node's pushes.
        var signalR = builder.Services.AddSignalR().AddMessagePackProtocol();
        if (builder.Configuration.GetConnectionString(ClusterRedis.ConnectionStringName) is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(options =>
            {
                options.Configuration = ClusterRedis.Options(redis);
                options.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("huihui-signalr");
            });
        }

        builder.Services.AddSingleton<IHostListener<AnalysisCompleted>, AnalysisBroadcaster>();
        builder.Services.AddSingleton<IHostListener<BacktestUpdated>, BacktestBroadcaster>();
        builder.Services.AddSingleton<IHostListener<MarketAlertRaised>, MarketAlertBroadcaster>();
        builder.Services.AddSingleton<HubStatus>();
        builder.Services.AddHostedService<NativeMemoryTrim>();
        builder.Services.AddHostedService<ResidentMemoryRelease>();
        AddJobs(builder.Services, builder.Configuration);

        var app = builder.Build();

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Status/500");
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseStatusCodePagesWithReExecute("/Status/{0}");
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorPages().WithStaticAssets();
        app.MapHub<AnalysisHub>(AnalysisHub.Path);
        // Probes have no login.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();
        // Admins only, by the endpoint's policy (Hangfire's own local-requests filter is replaced by it).
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [], AppPath = "/", DashboardTitle = "HuiHui jobs" })
            .RequireAuthorization(HubRoles.Admin);

        return app;
    }

    private static void AddJobs(IServiceCollection services, IConfiguration configuration)
    {
        services.AddHangfire((provider, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                storage => storage.UseConnectionFactory(new DataSourceConnectionFactory(provider.GetRequiredService<NpgsqlDataSource>())),
                new PostgreSqlStorageOptions { SchemaName = HangfireDatabase.Schema, PrepareSchemaIfNecessary = false }));

        if (configuration.GetValue("HuiHui:Jobs:RunServer", true))
        {
            // Every node runs a server; Hangfire's distributed locks in PostgreSQL run each recurring job once per schedule.
            var node = configuration.GetValue<string>("HuiHui:Cluster:NodeId") is { Length: > 0 } id ? id : Environment.MachineName;
            services.AddHangfireServer(server => server.ServerName = $"huihui-{node}");
            services.AddHostedService<RecurringJobsScheduler>();
            services.AddHostedService<HangfireHeartbeat>();
        }
    }
}
