using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Data;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Modules.Experts.Regime;
using HuiHui.Modules.Experts.Sentiment;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts;

/// <summary>Metrics calculator, the three experts and the Meta-Orchestrator; archive in <c>moe_analysis</c>.</summary>
public static class ExpertsModule
{
    /// <summary>The module in one place (services, jobs, flush), for the host to compose.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("Experts", (services, configuration) => services.AddExperts(configuration), Flush: FlushResponsesAsync, Prime: Orchestration.AnalysisPrimer.Prime);

    /// <summary>Reads the options checked at start (the regime rules): throws <see cref="OptionsValidationException"/> naming what is wrong.</summary>
    public static void ValidateConfiguration(IServiceProvider services) => _ = services.GetRequiredService<IOptions<RegimeRulesOptions>>().Value;

    public static IServiceCollection AddExperts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<ExpertsDbContext>("experts", ExpertsDbContext.Schema);
        services.AddTimeSeriesTable(ExpertsDbContext.Responses).AddTimeSeriesTable(ExpertsDbContext.Ideas);
        // In the order an analysis first needs them: the histories and citations it reads, then the analysis it writes (the
        // largest graph; prepared last, so a fresh process's reads do not wait behind it).
        services.AddCachedTypes(Orchestration.ExpertsCacheJson.Default, typeof(List<Ingestion.Contracts.Bar>), typeof(List<double>), typeof(List<Contracts.Citation>), typeof(Contracts.Analysis));
        services.AddSingleton<Ideas.IdeaTracker>();
        services.AddSingleton<Compass.CompassTracker>();
        services.AddSingleton<Orchestration.AnalysisQueue>();
        services.AddSingleton<Alerts.MarketAlertWatcher>();
        services.AddTransient<Backtest.BacktestJobs>();
        services.AddSingleton<Ideas.IdeaGateHost>();
        services.AddHostedService<History.AnalysisRollupWriter>();
        services.AddSingleton<History.GammaBand>();
        services.AddSingleton<Metrics.HeatmapReferences>();
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MetricsCalculator>();
        services.AddOptions<RegimeRulesOptions>().Bind(configuration.GetSection(RegimeRulesOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RegimeRulesOptions>, RegimeRulesValidator>();
        services.AddSingleton<RegimeRuleSet>();
        services.AddOptions<ExpertsOptions>().Bind(configuration.GetSection(ExpertsOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.ExpertTimeBudget > TimeSpan.Zero, "HuiHui:Experts:ExpertTimeBudget must be positive").ValidateOnStart();
        services.AddSingleton<LexiconScorer>();
        services.AddSingleton<IHeadlineScorer, ModelBackedScorer>();
        services.AddSingleton<ResponseWriter>();
        services.AddHostedService(p => p.GetRequiredService<ResponseWriter>());
        services.AddSingleton<Shared.Persistence.IWriterStatusSource>(p => p.GetRequiredService<ResponseWriter>());
        services.AddHealthChecks().AddCheck<ResponseWriterHealthCheck>("expert-responses", tags: ["ready"]);
        services.AddOptions<Narrative.LlmOptions>().Bind(configuration.GetSection(Narrative.LlmOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.TimeBudget > TimeSpan.Zero, "HuiHui:Llm:TimeBudget must be positive").ValidateOnStart();
        services.AddSingleton<Narrative.LlmNarrator>();
        services.AddMetrics();
        services.AddSingleton<ExpertsMetrics>();
        services.AddSingleton<AnalysisRunner>();
        services.AddSingleton<HuiHui.Modules.Shared.Hosting.IStartupWarmup, AnalysisWarmup>();
        return services;
    }

    /// <summary>For hosts that do not run the background writer (CLI verbs): write or spool the queued responses now.</summary>
    public static Task FlushResponsesAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<ResponseWriter>().FlushAsync(cancellationToken);
}
