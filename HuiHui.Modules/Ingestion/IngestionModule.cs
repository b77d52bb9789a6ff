using Hangfire;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Ingestion.Archive;
using HuiHui.Modules.Ingestion.Data;
using HuiHui.Modules.Ingestion.Jobs;
using HuiHui.Modules.Ingestion.Pipeline;
using HuiHui.Modules.Ingestion.Providers;
using HuiHui.Modules.Ingestion.Providers.Cboe;
using HuiHui.Modules.Ingestion.Providers.News;
using HuiHui.Modules.Ingestion.Providers.Tradier;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace HuiHui.Modules.Ingestion;

/// <summary>Providers → validated snapshots in the cache and the <c>market_data</c> archive.</summary>
public static class IngestionModule
{
    /// <summary>The module in one place (services, jobs, flush), for the host to compose.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("Ingestion", (services, configuration) => services.AddIngestion(configuration), ScheduleJobs);

    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<IngestionDbContext>("ingestion", IngestionDbContext.Schema);
        services.AddTimeSeriesTable(IngestionDbContext.OptionsChain).AddTimeSeriesTable(IngestionDbContext.IntradayBars);

        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.Section))
            .PostConfigure(o =>
            {
                if (o.Providers.Count == 0)
                {
                    o.Providers.Add(SimulatedProvider.ProviderName);
                }
            })
            .ValidateDataAnnotations()
            .Validate(o => o.Interval >= TimeSpan.FromSeconds(1), "HuiHui:Ingestion:Interval must be at least 1 second")
            .Validate(o => o.Providers.Count > 0, "HuiHui:Ingestion:Providers must name at least one provider")
            .ValidateOnStart();
        services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection($"{IngestionOptions.Section}:Simulated")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TradierOptions>().Bind(configuration.GetSection($"{IngestionOptions.Section}:Tradier")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Recording.RecordingOptions>().Bind(configuration.GetSection(Recording.RecordingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Recording.PayloadRecorder>();
        services.AddOptions<CboeOptions>().Bind(configuration.GetSection($"{IngestionOptions.Section}:Cboe"));
        services.AddOptions<AlphaVantageOptions>().Bind(configuration.GetSection($"{IngestionOptions.Section}:AlphaVantage"));
        services.AddOptions<ProviderHttpOptions>().Bind(configuration.GetSection($"{IngestionOptions.Section}:Http")).ValidateDataAnnotations().ValidateOnStart();

        services.AddCachedTypes(Pipeline.IngestionCacheJson.Default, typeof(Contracts.ChainSnapshot), typeof(Contracts.UnderlyingQuote));
        services.AddSingleton<SimulatedMarket>();
        services.AddSingleton<SimulatedProvider>();
        services.AddSingleton<IMarketDataProvider>(p => p.GetRequiredService<SimulatedProvider>());
        services.AddSingleton<INewsProvider>(p => p.GetRequiredService<SimulatedProvider>());
        services.AddSingleton<TradierRateLimit>();
        AddProviderClient<TradierProvider>(services);
        AddProviderClient<TradierStreamSession>(services);
        AddProviderClient<CboeProvider>(services);
        AddProviderClient<AlphaVantageNews>(services);
        services.AddTransient<IMarketDataProvider>(p => p.GetRequiredService<TradierProvider>());
        services.AddTransient<IMarketDataProvider>(p => p.GetRequiredService<CboeProvider>());
        services.AddTransient<INewsProvider>(p => p.GetRequiredService<AlphaVantageNews>());

        services.AddMetrics();
        services.AddSingleton<IngestionMetrics>();
        services.AddSingleton<Flow.FlowTapes>();
        services.AddSingleton<IngestionState>();
        services.AddSingleton<IngestionAlerts>();
        services.AddSingleton<ProviderRouter>();
        services.AddSingleton<SnapshotSpool>();
        services.AddSingleton<IngestionLoop>();
        services.AddSingleton<TradierStreamBook>();
        services.AddSingleton<TradierStream>();
        services.AddHostedService(p => p.GetRequiredService<TradierStream>());
        services.AddHostedService(p => p.GetRequiredService<IngestionLoop>());
        services.AddHealthChecks().AddCheck<IngestionHealthCheck>("ingestion", tags: ["ready"]);
        return services;
    }

    /// <summary>The module's recurring jobs: the archive every minute, nightly backfill (02:30 UTC), headline pruning (03:15 UTC). Called by the host once Hangfire is up.</summary>
    public static void ScheduleJobs(IRecurringJobManager jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.RemoveIfExists(IngestionJobs.FormerArchiveId);
        jobs.AddOrUpdate<IngestionJobs>(IngestionJobs.ArchiveId, j => j.ArchiveAsync(CancellationToken.None), Cron.Minutely());
        jobs.AddOrUpdate<IngestionJobs>(IngestionJobs.BackfillId, j => j.NightlyBackfillAsync(), Cron.Daily(2, 30));
        jobs.AddOrUpdate<IngestionJobs>(IngestionJobs.PruneId, j => j.PruneNewsAsync(CancellationToken.None), Cron.Daily(3, 15));
    }

    /// <summary>A typed client with the standard resilience pipeline (retry with jitter honouring Retry-After, breaker, timeouts).</summary>
    private static void AddProviderClient<TClient>(IServiceCollection services)
        where TClient : class
    {
        services.AddHttpClient<TClient>(http => http.DefaultRequestHeaders.UserAgent.ParseAdd("HuiHui/1.0"))
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider provider) =>
            {
                var settings = provider.GetRequiredService<IOptions<ProviderHttpOptions>>().Value;
                resilience.Retry.MaxRetryAttempts = Math.Max(settings.MaxRetries, 1);
                resilience.Retry.ShouldHandle = settings.MaxRetries == 0 ? _ => PredicateResult.False() : resilience.Retry.ShouldHandle;
                resilience.Retry.Delay = settings.RetryBaseDelay;
                resilience.Retry.BackoffType = DelayBackoffType.Exponential;
                resilience.Retry.UseJitter = true;
                resilience.AttemptTimeout.Timeout = settings.AttemptTimeout;
                resilience.TotalRequestTimeout.Timeout = settings.TotalTimeout;
                resilience.CircuitBreaker.BreakDuration = settings.BreakDuration;
                resilience.CircuitBreaker.MinimumThroughput = settings.BreakerMinimumThroughput;
                resilience.CircuitBreaker.FailureRatio = 0.5;
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, settings.AttemptTimeout.TotalSeconds * 2 + 1));
            });
    }
}
