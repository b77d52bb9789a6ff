using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;

namespace HuiHui.Modules.Experts.Narrative;

/// <summary>
/// Writes the meta narrative with the configured chat model from the experts' structured output, within
/// <see cref="LlmOptions.TimeBudget"/>; on a timeout, an error or an empty answer the template narrative stays.
/// Every call (success or not) goes to <c>usage_stats.huihui_usage</c> with its tokens and latency.
/// </summary>
internal sealed partial class LlmNarrator(IOptions<LlmOptions> options, TimeProvider time, ILogger<LlmNarrator> logger)
{
    private readonly Lazy<IChatClient> client = new(() =>
    {
        var settings = options.Value;
        var openAi = new OpenAIClient(new ApiKeyCredential(string.IsNullOrWhiteSpace(settings.ApiKey) ? "not-needed" : settings.ApiKey),
            new OpenAIClientOptions { Endpoint = settings.Endpoint, NetworkTimeout = settings.TimeBudget + TimeSpan.FromSeconds(1) });
        return openAi.GetChatClient(settings.Model).AsIChatClient();
    });

    public bool Enabled => options.Value.Enabled;

    public string Model => options.Value.Model;

    /// <summary>The model's narrative, or null (then the caller keeps the template).</summary>
    public async Task<string?> WriteAsync(string symbol, MetricsBundle metrics, RegimeResponse? regime, FlowResponse? flow, SentimentResponse? sentiment, MetaResponse meta, IMediator mediator, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var started = Stopwatch.GetTimestamp();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(settings.TimeBudget);
        string? text = null;
        string? error = null;
        UsageDetails? usage = null;
        try
        {
            var response = await client.Value.GetResponseAsync(
                [new ChatMessage(ChatRole.System, SystemPrompt), new ChatMessage(ChatRole.User, Facts(symbol, metrics, regime, flow, sentiment, meta))],
                new ChatOptions { MaxOutputTokens = settings.MaxOutputTokens, Temperature = 0.2f },
                budget.Token).WaitAsync(settings.TimeBudget, time, cancellationToken);
            usage = response.Usage;
            text = response.Text?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                error = "empty answer";
                text = null;
            }
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = failure is TimeoutException or OperationCanceledException ? $"no answer within {settings.TimeBudget.TotalSeconds:0.#} s" : failure.GetBaseException().Message;
            LogFallback(logger, symbol, error);
        }

        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        try
        {
            await mediator.Send(new RecordUsage("llm", "meta-narrative", settings.Model, (int?)usage?.InputTokenCount, (int?)usage?.OutputTokenCount, latency, text is not null, error, time.GetUtcNow()), cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogUsageFailed(logger, failure.Message);
        }

        return text;
    }

    private const string SystemPrompt =
        "You are HuiHui, an options-market analyst. Write one short paragraph (at most 120 words) for a trading desk from the " +
        "facts given. Use only those facts and numbers; do not invent levels, prices or news. State the bias, the conviction, " +
        "the strategy and the key levels, and name one risk. Cite sources as [1], [2] when you use them.";

    private static string Facts(string symbol, MetricsBundle m, RegimeResponse? regime, FlowResponse? flow, SentimentResponse? sentiment, MetaResponse meta)
    {
        var c = CultureInfo.InvariantCulture;
        var facts = new StringBuilder();
        facts.AppendLine(c, $"Symbol {symbol}, spot {m.Spot:0.00}, as of {m.AsOf:yyyy-MM-dd HH:mm} UTC.");
        facts.AppendLine(c, $"Meta: bias {meta.Bias}, conviction {meta.Conviction:P0}, strategy {meta.Strategy}. Rationale: {meta.Rationale}");
        if (regime is not null)
        {
            facts.AppendLine(c, $"Regime: {regime.Regime}, confidence {regime.Confidence:P0}, dealer gamma {regime.DealerGamma}{(regime.TransitionWarning ? ", transition warning" : "")}.");
        }

        if (flow is not null)
        {
            facts.AppendLine(c, $"Flow: {flow.Bias}, score {flow.Score:0.00}, blocks {flow.Institutional.Blocks}, sweeps {flow.Institutional.Sweeps}.");
        }

        if (sentiment is not null)
        {
            facts.AppendLine(c, $"News: {sentiment.Bias}, score {sentiment.Score:0.00}; latest: {string.Join(" | ", sentiment.Headlines.Take(3).Select(h => h.Headline))}.");
        }

        facts.AppendLine(c, $"Levels: zero gamma {m.KeyLevels.ZeroGamma:0.00}, call wall {m.KeyLevels.CallWall:0.##}, put wall {m.KeyLevels.PutWall:0.##}, max pain {m.KeyLevels.MaxPain:0.##}; ATM IV {m.Volatility.AtmIv:P1}.");
        foreach (var note in meta.RiskNotes.Take(3))
        {
            facts.AppendLine("Risk: " + note);
        }

        foreach (var (citation, i) in (meta.Citations ?? []).Select((c, i) => (c, i + 1)))
        {
            facts.AppendLine(c, $"Source [{i}] {citation.Title}, {citation.Location}: {citation.Excerpt}");
        }

        return facts.ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM narrative for {Symbol} fell back to the template: {Reason}")]
    private static partial void LogFallback(ILogger logger, string symbol, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record LLM usage: {Reason}")]
    private static partial void LogUsageFailed(ILogger logger, string reason);
}
