using System.Globalization;
using System.Diagnostics;
using System.Text.Json;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Flow;
using HuiHui.Modules.Experts.Meta;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Experts.Regime;
using HuiHui.Modules.Experts.Sentiment;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Shared.Telemetry;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>What a run of <see cref="AnalysisRunner"/> is for.</summary>
internal enum AnalysisMode
{
    /// <summary>The latest snapshot: cached, persisted, cited, pushed.</summary>
    Live,

    /// <summary>Measuring the pipeline: cached and announced, nothing persisted.</summary>
    Benchmark,

    /// <summary>A past snapshot (replay, backtest): nothing cached, persisted or announced.</summary>
    Replay,
}

/// <summary>
/// What a replay knows besides the snapshot, when it does not come from the store: the daily history at the snapshot's time
/// (the simulated market carries its own), the past daily ATM IV readings for IV rank (a backtest keeps its own), and
/// whether to ask the trained model for its outlook (its training may postdate the snapshot: a backtest leaves it out).
/// </summary>
internal sealed record ReplayContext(IReadOnlyList<Bar>? DailyBars = null, IReadOnlyList<double>? AtmIvHistory = null, bool Outlook = true);

/// <summary>
/// One analysis (the ITS orchestrator's cycle for a symbol): snapshot from the cache, metrics once (enriched tier,
/// keyed by the snapshot's time), the three experts concurrently under a time budget, then the meta. The result is
/// cached (expert-response tier), every response queued for PostgreSQL, and <see cref="AnalysisCompleted"/> published.
/// An expert that throws or runs out of time is left out; the meta says so and lowers its conviction.
/// </summary>
internal sealed partial class AnalysisRunner(
    IEnhancedCache cache,
    ISymbolLeases leases,
    IServiceScopeFactory scopes,
    NpgsqlDataSource dataSource,
    MetricsCalculator calculator,
    RegimeRuleSet regimeRules,
    IHeadlineScorer scorer,
    ResponseWriter writer,
    Narrative.LlmNarrator narrator,
    Ideas.IdeaTracker ideas,
    Alerts.MarketAlertWatcher alerts,
    Compass.CompassTracker compass,
    Ideas.IdeaGateHost gates,
    ExpertsMetrics telemetry,
    IOptions<ExpertsOptions> options,
    TimeProvider time,
    ILogger<AnalysisRunner> logger)
{
    private readonly DayHandover<List<Bar>> heldDailyBars = new(DayKeyedTimeToLive, time, (symbol, error) => LogNoHistory(logger, symbol, error.GetBaseException().Message));
    private readonly DayHandover<List<double>> heldAtmIvHistory = new(DayKeyedTimeToLive, time, (symbol, error) => LogNoHistory(logger, symbol, error.GetBaseException().Message));

    /// <summary>
    /// Runs the experts on <paramref name="snapshot"/>; <paramref name="mediator"/> is the caller's (scoped). Only
    /// <see cref="AnalysisMode.Live"/> persists, cites and narrates; <see cref="AnalysisMode.Replay"/> also leaves the cache
    /// and the live pushes alone (a past snapshot must not replace the latest analysis).
    /// </summary>
    /// <remarks>
    /// A <paramref name="slice"/> other than the configured one is an analyst's own view of the chain: it runs like a replay
    /// (nothing cached, stored or pushed), so it never replaces the shared analysis of the configured slice.
    /// </remarks>
    /// <param name="queuedMs">How long the snapshot waited in the <see cref="AnalysisQueue"/> (recorded as the stage <c>queued</c>).</param>
    /// <param name="lease">
    /// The version of this node's lease on the symbol when the analysis started (several nodes): the analysis is dropped
    /// before it is cached, stored or pushed when the node no longer holds that lease (it moved, or came back as a new one).
    /// </param>
    public async Task<Analysis> RunAsync(ChainSnapshot snapshot, IMediator mediator, double snapshotMs, CancellationToken cancellationToken, AnalysisMode mode = AnalysisMode.Live, ChainSlice? slice = null, ReplayContext? replay = null, double queuedMs = 0, long? lease = null)
    {
        if (slice is not null && slice != calculator.DefaultSlice)
        {
            mode = AnalysisMode.Replay;
        }

        var persist = mode == AnalysisMode.Live;
        var started = Stopwatch.GetTimestamp();
        using var activity = PipelineTelemetry.Source.StartActivity("analyze");
        activity?.SetTag("huihui.symbol", snapshot.Symbol);
        if (snapshot.Contracts.Count == 0)
        {
            throw new AnalysisUnavailableException($"{snapshot.Symbol} has no valid option contracts in its snapshot from {snapshot.Source} ({DropSummary(snapshot)})");
        }

        var metricsSpan = PipelineTelemetry.Source.StartActivity("metrics");
        // The two histories are independent reads (each cached per day): read together, a cold cache waits for the longer only.
        var barsRead = replay?.DailyBars is { } supplied ? Task.FromResult<IReadOnlyList<Bar>>(Window(supplied, snapshot.AsOf)) : DailyBarsAsync(snapshot, mediator, mode, cancellationToken);
        var ivHistoryRead = replay?.AtmIvHistory is { } history ? Task.FromResult(history) : AtmIvHistoryAsync(snapshot, mode, cancellationToken);
        var bars = await barsRead;
        var ivHistory = await ivHistoryRead;
        // Computed, not cached: each snapshot's metrics are read once, here (a cache entry per snapshot filled the memory
        // level with bundles never read again and pushed out what is; docs/performance.md, "Memory").
        var metrics = calculator.Compute(snapshot, bars, ivHistory, mode == AnalysisMode.Replay ? slice : null);
        var metricsMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        metricsSpan?.Dispose();
        var expertsSpan = PipelineTelemetry.Source.StartActivity("experts");

        var expertsStarted = Stopwatch.GetTimestamp();
        var (signedPrints, grossPremium) = PrintTotals(snapshot);
        var inline = mode == AnalysisMode.Replay;
        var regimeTask = RunExpertAsync(ExpertIds.Regime, snapshot.Symbol, _ => Task.FromResult(MarketRegimeExpert.Assess(snapshot, metrics, regimeRules)), inline, cancellationToken);
        var flowTask = RunExpertAsync(ExpertIds.Flow, snapshot.Symbol, _ => Task.FromResult(OptionsFlowExpert.Assess(metrics, signedPrints, grossPremium)), inline, cancellationToken);
        var sentimentTask = RunExpertAsync(ExpertIds.Sentiment, snapshot.Symbol, token => MarketIntelligenceExpert.AssessAsync(snapshot, scorer, token), inline, cancellationToken);
        var (regime, regimeCall) = await regimeTask;
        var (flow, flowCall) = await flowTask;
        var (sentiment, sentimentCall) = await sentimentTask;
        var expertsMs = Stopwatch.GetElapsedTime(expertsStarted).TotalMilliseconds;
        expertsSpan?.Dispose();
        using var metaSpan = PipelineTelemetry.Source.StartActivity("meta");

        var metaStarted = Stopwatch.GetTimestamp();
        var meta = MetaOrchestrator.Combine(snapshot.Symbol, metrics, regime, flow, sentiment, MetaOrchestrator.DefaultWeights);
        var (rate, dividend) = calculator.RatesFor(snapshot.Symbol);
        var (idea, noIdea) = TradeIdeas.Build(snapshot, metrics, bars, meta, regime, options.Value.Ideas.MinConviction, rate, dividend);
        if (idea is not null && mode != AnalysisMode.Replay && await gates.CurrentAsync(cancellationToken) is { } gate
            && gate.Refusing(idea.Strategy, RegimeName(regime), idea.Conviction) is { } floor)
        {
            noIdea = Ideas.IdeaGates.Explain(floor, idea.Conviction);
            idea = null;
        }

        meta = meta with { Idea = idea, NoIdea = noIdea };
        if (persist)
        {
            meta = await WithCitationsAsync(meta, regime, mediator, cancellationToken);
        }

        if (narrator.Enabled && persist && await narrator.WriteAsync(snapshot.Symbol, metrics, regime, flow, sentiment, meta, mediator, cancellationToken) is { } written)
        {
            meta = meta with { Narrative = written, NarrativeBy = "llm:" + narrator.Model };
        }

        var metaMs = Stopwatch.GetElapsedTime(metaStarted).TotalMilliseconds;

        var analysis = new Analysis(Guid.CreateVersion7(), snapshot.Symbol, snapshot.AsOf, snapshot.Spot, snapshot.Source, metrics, regime, flow, sentiment, meta,
            new StageTimings(snapshotMs, metricsMs, expertsMs, metaMs, snapshotMs + Stopwatch.GetElapsedTime(started).TotalMilliseconds, queuedMs),
            mode == AnalysisMode.Replay ? compass.Preview(metrics) : compass.Observe(metrics));
        if (replay?.Outlook != false)
        {
            analysis = await WithOutlookAsync(analysis, mediator, cancellationToken);
        }

        metaSpan?.Dispose();
        activity?.SetTag("huihui.bias", meta.Bias.ToString());
        activity?.SetTag("huihui.conviction", meta.Conviction);
        if (mode == AnalysisMode.Replay)
        {
            return analysis;
        }

        if (lease is { } version && leases.Holds(snapshot.Symbol) != version)
        {
            throw new LeaseLostException($"{snapshot.Symbol}: node {leases.NodeId} lost its lease {version} during the analysis of {snapshot.AsOf:O}; another node analyses the symbol now, this analysis is dropped");
        }

        telemetry.Record(analysis);
        await cache.SetAsync(ExpertKeys.Analysis(snapshot.Symbol), analysis, cancellationToken);
        if (persist)
        {
            await PersistAsync(analysis, cancellationToken);
            var closed = await ideas.TrackAsync(snapshot, meta, regime, cancellationToken);
            await alerts.ObserveAsync(analysis, closed, mediator, cancellationToken);
            var t = analysis.TimingsMs;
            List<StageSample> stages = [
                new StageSample("snapshot", t.Snapshot, 1), new StageSample("metrics", t.Metrics, metrics.Contracts),
                new StageSample("experts", t.Experts, 3 - meta.MissingExperts.Count), new StageSample("meta", t.Meta, 1), new StageSample("total", t.Total, 0)];
            if (t.Queued > 0)
            {
                stages.Add(new StageSample("queued", t.Queued, 0)); // ingested snapshots: the wait for a worker
            }

            await mediator.Send(new RecordStageLatencies(analysis.CycleId, analysis.Symbol, time.GetUtcNow(), stages), cancellationToken);
            foreach (var call in new[] { regimeCall, flowCall, sentimentCall })
            {
                await mediator.Send(new RecordUsage("expert", call.Expert, null, null, null, call.LatencyMs, call.Error is null, call.Error, time.GetUtcNow()), cancellationToken);
            }

            await mediator.Send(new RecordHeartbeat(Components.Orchestrator, meta.MissingExperts.Count == 0 ? "ok" : "degraded",
                meta.MissingExperts.Count == 0 ? null : "missing: " + string.Join(", ", meta.MissingExperts)), cancellationToken);
        }

        await mediator.Publish(new AnalysisCompleted(analysis.CycleId, analysis.Symbol, analysis.AsOf, meta.Bias, meta.Conviction, analysis), cancellationToken);
        return analysis;
    }

    /// <summary>The regime as the ideas record it: the rules' name, else the label.</summary>
    internal static string? RegimeName(RegimeResponse? regime) => regime is null ? null : regime.Name ?? regime.Regime.ToString();

    private async Task PersistAsync(Analysis analysis, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        ResponseRecord Record(string expert, string details, double confidence, string call) =>
            new(Guid.CreateVersion7(), analysis.CycleId, expert, analysis.Symbol, details, confidence, analysis.AsOf, now, ResponseRecord.CallOf(call));

        if (analysis.Regime is { } regime)
        {
            await writer.EnqueueAsync(Record(ExpertIds.Regime, JsonSerializer.Serialize(regime, ExpertsJson.Default.RegimeResponse), regime.Confidence,
                string.Create(CultureInfo.InvariantCulture, $"{regime.Name ?? regime.Regime.ToString()} · gamma {regime.DealerGamma}")), cancellationToken);
        }

        if (analysis.Flow is { } flow)
        {
            await writer.EnqueueAsync(Record(ExpertIds.Flow, JsonSerializer.Serialize(flow, ExpertsJson.Default.FlowResponse), flow.Confidence,
                string.Create(CultureInfo.InvariantCulture, $"{flow.Bias} · score {flow.Score:0.00}")), cancellationToken);
        }

        if (analysis.Sentiment is { } sentiment)
        {
            await writer.EnqueueAsync(Record(ExpertIds.Sentiment, JsonSerializer.Serialize(sentiment, ExpertsJson.Default.SentimentResponse), sentiment.Confidence,
                string.Create(CultureInfo.InvariantCulture, $"{sentiment.Bias} · score {sentiment.Score:0.00}")), cancellationToken);
        }

        await writer.EnqueueAsync(Record(ExpertIds.Meta, JsonSerializer.Serialize(analysis.Meta, ExpertsJson.Default.MetaResponse), analysis.Meta.Conviction,
            $"{analysis.Meta.Bias} · {analysis.Meta.Strategy}"), cancellationToken);
    }

    /// <summary>
    /// Asks Education for the two best passages about the regime and the strategy (cached a minute per pair) and cites
    /// them after the narrative. Without a corpus, or when the search fails, the narrative goes without.
    /// </summary>
    private async Task<MetaResponse> WithCitationsAsync(MetaResponse meta, RegimeResponse? regime, IMediator mediator, CancellationToken cancellationToken)
    {
        try
        {
            var citations = await CitationsAsync(CitationTopic(regime?.Regime, meta.Strategy), mediator, cancellationToken);
            if (citations.Count == 0)
            {
                return meta;
            }

            var sources = string.Join("; ", citations.Select((c, i) => $"[{i + 1}] {c.Title}, {c.Location}"));
            return meta with { Citations = citations, Narrative = $"{meta.Narrative} Sources: {sources}." };
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogNoHistory(logger, "citations", error.GetBaseException().Message);
            return meta;
        }
    }

    /// <summary>The passages cited for <paramref name="topic"/>, searched at most once a minute per topic (the cache's enriched tier).</summary>
    private async Task<List<Citation>> CitationsAsync(string topic, IMediator mediator, CancellationToken cancellationToken) =>
        (await cache.GetOrCreateAsync(CitationKey(topic), async token =>
            (await mediator.Send(new HuiHui.Modules.Education.Contracts.SearchDocuments(topic, 2), token)).Passages
                .Select(p => new Citation(p.Title, p.Location, p.ChunkId, Path.GetFileName(p.Uri), p.Content.Length > 240 ? p.Content[..240] + "…" : p.Content)).ToList(),
            cancellationToken)).Value;

    internal static CacheKey<List<Citation>> CitationKey(string topic) => new(CacheTier.Enriched, $"citations:{topic}");

    /// <summary>What the meta's citations are searched with: the regime in words and the strategy.</summary>
    internal static string CitationTopic(RegimeLabel? regime, string strategy) => $"{RegimeWords(regime)} {strategy}";

    /// <summary>
    /// Every topic a live analysis can cite (each regime, or none, × each strategy the meta names): a finite set, searched
    /// once at start (<see cref="WarmCitationsAsync"/>) so that the live loop never embeds a new question — the local
    /// embedding model is then let go after its idle time instead of being held by the hub for good.
    /// </summary>
    internal static IEnumerable<string> CitationTopics() =>
        from regime in Enum.GetValues<RegimeLabel>().Select(r => (RegimeLabel?)r).Prepend(null)
        from strategy in MetaOrchestrator.Strategies
        select CitationTopic(regime, strategy);

    /// <summary>Searches (and caches) the passages of every citation topic; returns how many topics were searched.</summary>
    internal async Task<int> WarmCitationsAsync(IMediator mediator, CancellationToken cancellationToken)
    {
        var topics = 0;
        foreach (var topic in CitationTopics())
        {
            await CitationsAsync(topic, mediator, cancellationToken);
            topics++;
        }

        return topics;
    }

    private static string RegimeWords(RegimeLabel? regime) => regime switch
    {
        RegimeLabel.LowVolUptrend => "low-volatility uptrend",
        RegimeLabel.HighVolDowntrend => "high-volatility downtrend",
        RegimeLabel.RangeBound => "range-bound market",
        RegimeLabel.VolatilityExpansion => "volatility expansion squeeze",
        _ => "",
    };

    /// <summary>
    /// How long a symbol's daily bars and ATM IV history stay cached: both read only the days before the snapshot's date,
    /// which they are keyed by, so within the day they change only when older days are backfilled. A minute (the enriched
    /// tier) had every symbol query PostgreSQL once a minute inside an analysis — the IV history over a year of regime
    /// responses, slower as they accumulate: the live hub's metrics p99 rose from ~4 to ~23 ms over 30 minutes at 50
    /// symbols / 1 s (docs/performance.md, "Fifth pass").
    /// </summary>
    internal static readonly TimeSpan DayKeyedTimeToLive = TimeSpan.FromHours(1);

    /// <summary>Daily history for realised volatility, cached per day (<see cref="DayKeyedTimeToLive"/>); without it the metrics still run.</summary>
    private async Task<IReadOnlyList<Bar>> DailyBarsAsync(ChainSnapshot snapshot, IMediator mediator, AnalysisMode mode, CancellationToken cancellationToken)
    {
        var (symbol, asOf) = (snapshot.Symbol, snapshot.AsOf);
        try
        {
            return mode == AnalysisMode.Live
                ? await heldDailyBars.GetAsync(symbol, DateOnly.FromDateTime(asOf.UtcDateTime), token => LoadDailyBarsAsync(symbol, asOf, null, token), cancellationToken)
                : await LoadDailyBarsAsync(symbol, asOf, mediator, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogNoHistory(logger, symbol, error.GetBaseException().Message);
            return [];
        }
    }

    /// <summary>The daily bars through the cache; without a <paramref name="mediator"/> (a load beside the analyses) in a scope of its own.</summary>
    private async Task<List<Bar>> LoadDailyBarsAsync(string symbol, DateTimeOffset asOf, IMediator? mediator, CancellationToken cancellationToken)
    {
        var key = new CacheKey<List<Bar>>(CacheTier.Enriched, $"daily-bars:{symbol}:{asOf.UtcDateTime:yyyyMMdd}", CacheTags.Symbol(symbol))
        {
            TimeToLive = DayKeyedTimeToLive,
        };
        await using var scope = mediator is null ? scopes.CreateAsyncScope() : default(AsyncServiceScope?);
        var send = mediator ?? scope!.Value.ServiceProvider.GetRequiredService<IMediator>();
        return (await cache.GetOrCreateAsync(key, async token =>
            (await send.Send(new GetDailyBars(symbol, options.Value.HistoryDays, CompletedDaysBefore(asOf)), token)).ToList(), cancellationToken)).Value;
    }

    /// <summary>The supplied daily bars within the window the stored history is read with.</summary>
    private List<Bar> Window(IReadOnlyList<Bar> bars, DateTimeOffset asOf)
    {
        var before = CompletedDaysBefore(asOf);
        var from = before.AddDays(-options.Value.HistoryDays);
        return bars.Where(b => b.Start >= from && b.Start < before).ToList();
    }

    /// <summary>Daily bars of days that ended before the snapshot's day: today's bar holds a close not yet known at the snapshot.</summary>
    internal static DateTimeOffset CompletedDaysBefore(DateTimeOffset asOf) => new(asOf.UtcDateTime.Date, TimeSpan.Zero);

    /// <summary>
    /// Past 30-day ATM IV readings of the symbol for IV rank and percentile: the last regime reading of each day over the
    /// year before the snapshot, from this module's own responses; cached per day (<see cref="DayKeyedTimeToLive"/>). Empty when there is no history
    /// (or PostgreSQL is unreachable), and IV rank is then left out.
    /// </summary>
    private async Task<IReadOnlyList<double>> AtmIvHistoryAsync(ChainSnapshot snapshot, AnalysisMode mode, CancellationToken cancellationToken)
    {
        var (symbol, asOf) = (snapshot.Symbol, snapshot.AsOf);
        try
        {
            return mode == AnalysisMode.Live
                ? await heldAtmIvHistory.GetAsync(symbol, DateOnly.FromDateTime(asOf.UtcDateTime), token => LoadAtmIvHistoryAsync(symbol, asOf, token), cancellationToken)
                : await LoadAtmIvHistoryAsync(symbol, asOf, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogNoHistory(logger, symbol, error.GetBaseException().Message);
            return [];
        }
    }

    private async Task<List<double>> LoadAtmIvHistoryAsync(string symbol, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var key = new CacheKey<List<double>>(CacheTier.Enriched, $"atm-iv-history:{symbol}:{asOf.UtcDateTime:yyyyMMdd}", CacheTags.Symbol(symbol))
        {
            TimeToLive = DayKeyedTimeToLive,
        };
        return (await cache.GetOrCreateAsync(key, async token =>
        {
            var day = asOf.UtcDateTime.Date;
            // One probe per day, each reading that day's responses backward from its end until a regime reading with
            // an ATM IV (a few rows, through the (symbol, as_of, expert_id) index of the day's partition): the cost
            // follows the days, not the responses stored in them — a DISTINCT ON over the year read every regime
            // response, and at one analysis a second that grows by ~23,000 rows per symbol and trading day.
            // Npgsql rather than EF: EF's first query in a process costs ~60 ms of set-up, paid by every one-shot `analyze`.
            await using var select = dataSource.CreateCommand(
                """
                SELECT r.atm_iv
                FROM generate_series($1, $2 - interval '24 hours', interval '24 hours') AS d(day)
                CROSS JOIN LATERAL (
                    SELECT (details->'evidence'->>'atmIv')::float8 AS atm_iv
                    FROM moe_analysis.expert_responses
                    WHERE symbol = $3 AND expert_id = 'regime' AND as_of >= d.day AND as_of < d.day + interval '24 hours'
                      AND details->'evidence'->>'atmIv' IS NOT NULL
                    ORDER BY as_of DESC
                    LIMIT 1) AS r
                ORDER BY d.day
                """);
            select.Parameters.Add(new NpgsqlParameter { Value = DateTime.SpecifyKind(day.AddDays(-365), DateTimeKind.Utc), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            select.Parameters.Add(new NpgsqlParameter { Value = DateTime.SpecifyKind(day, DateTimeKind.Utc), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            select.Parameters.Add(new NpgsqlParameter { Value = symbol });
            var readings = new List<double>();
            await using var reader = await select.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                readings.Add(reader.GetDouble(0));
            }

            return readings;
        }, cancellationToken)).Value;
    }

    /// <summary>
    /// Runs one expert on the thread pool, abandoning it (and cancelling its token) when it exceeds its budget; a replay runs
    /// it <paramref name="inline"/>, without a budget (nobody waits on a past snapshot, and the same snapshot must give the
    /// same analysis however busy the machine).
    /// </summary>
    private async Task<(T? Response, ExpertCall Call)> RunExpertAsync<T>(string expert, string symbol, Func<CancellationToken, Task<T>> assess, bool inline, CancellationToken cancellationToken)
        where T : class
    {
        var started = Stopwatch.GetTimestamp();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var response = inline ? await assess(cancellationToken) : await Task.Run(() => assess(budget.Token), budget.Token).WaitAsync(options.Value.ExpertTimeBudget, time, cancellationToken);
            return (response, new ExpertCall(expert, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null));
        }
        catch (TimeoutException)
        {
            await budget.CancelAsync();
            LogExpertTimedOut(logger, expert, symbol, options.Value.ExpertTimeBudget.TotalMilliseconds);
            return (null, new ExpertCall(expert, Stopwatch.GetElapsedTime(started).TotalMilliseconds, "timed out"));
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogExpertFailed(logger, error, expert, symbol);
            return (null, new ExpertCall(expert, Stopwatch.GetElapsedTime(started).TotalMilliseconds, error.GetBaseException().Message));
        }
    }

    private sealed record ExpertCall(string Expert, double LatencyMs, string? Error);

    private static (int SignedPrints, double GrossPremium) PrintTotals(ChainSnapshot snapshot)
    {
        var signed = 0;
        double gross = 0;
        foreach (var print in snapshot.Prints)
        {
            if (print.Side != AggressorSide.Unknown)
            {
                signed++;
                gross += print.Price * print.Size * 100;
            }
        }

        return (signed, gross);
    }

    /// <summary>The trained gating model's view, when Learning has one active; the analysis goes on without it otherwise.</summary>
    private async Task<Analysis> WithOutlookAsync(Analysis analysis, IMediator mediator, CancellationToken cancellationToken)
    {
        try
        {
            return await mediator.Send(new PredictOutcome(analysis), cancellationToken) is { } prediction
                ? analysis with { Meta = analysis.Meta with { Outlook = ModelOutlook.From(prediction.Model, prediction.ProbabilityUp) } }
                : analysis;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogOutlookFailed(logger, analysis.Symbol, exception.GetBaseException().Message);
            return analysis;
        }
    }

    private static string DropSummary(ChainSnapshot snapshot) =>
        snapshot.Dropped.Count == 0 ? "the provider sent none" : "dropped: " + string.Join(", ", snapshot.Dropped.Select(d => $"{d.Count} {d.Reason}"));

    [LoggerMessage(Level = LogLevel.Warning, Message = "No gating-model outlook for {Symbol}: {Problem}")]
    private static partial void LogOutlookFailed(ILogger logger, string symbol, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Expert} expert failed for {Symbol}; the meta goes on without it")]
    private static partial void LogExpertFailed(ILogger logger, Exception exception, string expert, string symbol);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Expert} expert ran out of time for {Symbol} ({BudgetMs} ms); the meta goes on without it")]
    private static partial void LogExpertTimedOut(ILogger logger, string expert, string symbol, double budgetMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "No daily history for {Symbol} ({Reason}); realised volatility is left out")]
    private static partial void LogNoHistory(ILogger logger, string symbol, string reason);
}
