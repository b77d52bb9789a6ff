using System.Diagnostics;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Hosting;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Experts.Orchestration;

/// <summary>
/// At start, analyses a few snapshots of a fresh simulated market in replay mode (nothing cached, stored or pushed), reads
/// the idea gate and searches every citation topic (<see cref="AnalysisRunner.CitationTopics"/>), so metrics, experts, meta and idea code is compiled and the gate and the
/// vector index are loaded before the first live cycle instead of inside it (measured before:
/// the first cycles took 0.5–2 s and the sentiment expert ran out of its budget). The ingestion loop waits for it
/// (<see cref="StartupWarmups"/>), which runs it only when the live loop starts.
/// </summary>
internal sealed partial class AnalysisWarmup(IServiceScopeFactory scopes, AnalysisRunner runner, Ideas.IdeaGateHost gates, ILogger<AnalysisWarmup> logger) : IStartupWarmup
{
    /// <summary>Analyses run to warm the code: the first compiles, the next ones reach the tiered compiler's later tiers.</summary>
    private const int Analyses = 4;

    public async Task WarmAsync(CancellationToken stopping)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            var done = 0;
            await foreach (var frame in mediator.CreateStream(new ReplaySnapshots("SPY", ReplaySnapshots.Simulated), stopping))
            {
                await runner.RunAsync(frame.Snapshot, mediator, 0, stopping, AnalysisMode.Replay, replay: new ReplayContext(frame.DailyBars));
                if (++done == Analyses)
                {
                    break;
                }
            }

            // What only live analyses do: read the idea gate, and search the corpus for every citation topic (loads the vector
            // index; each topic's query vector is then known, so the live loop never needs the embedding model).
            await gates.CurrentAsync(stopping);
            var topics = await runner.WarmCitationsAsync(mediator, stopping);
            LogWarm(logger, done, topics, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogFailed(logger, error.GetBaseException().Message);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis warmed by {Count} replayed analyses and {Topics} citation topics in {Ms:F0} ms")]
    private static partial void LogWarm(ILogger logger, int count, int topics, double ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The analysis could not be warmed at start ({Reason}); the first cycles will be slower")]
    private static partial void LogFailed(ILogger logger, string reason);
}
