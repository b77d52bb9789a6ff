using System.Diagnostics;
using System.Runtime.CompilerServices;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Orchestration;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;

namespace HuiHui.Modules.Experts.Features;

/// <summary>Replays a source through the analysis pipeline in <see cref="AnalysisMode.Replay"/>: one analysis per snapshot, oldest first.</summary>
internal sealed class ReplayAnalysesHandler(AnalysisRunner runner, IMediator mediator) : IStreamQueryHandler<ReplayAnalyses, Analysis>
{
    public async IAsyncEnumerable<Analysis> Handle(ReplayAnalyses query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await foreach (var (snapshot, dailyBars) in mediator.CreateStream(new ReplaySnapshots(query.Symbol, query.Source, query.From, query.To, query.Every), cancellationToken))
        {
            var snapshotMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (snapshot.Contracts.Count == 0)
            {
                started = Stopwatch.GetTimestamp();
                continue; // nothing valid to analyse at this time; the replay goes on
            }

            yield return await runner.RunAsync(snapshot, mediator, snapshotMs, cancellationToken, AnalysisMode.Replay,
                replay: dailyBars is null ? null : new ReplayContext(dailyBars));
            started = Stopwatch.GetTimestamp();
        }
    }
}
