using HuiHui.Modules.Experts.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Experts.Sentiment;

/// <summary>
/// The sentiment expert's scorer: Learning's active trained model when there is one (hot-reloaded when a new checkpoint
/// is activated), otherwise the lexicon. Falls back to the lexicon, too, when the model cannot answer.
/// </summary>
internal sealed class ModelBackedScorer(IServiceScopeFactory scopes, LexiconScorer lexicon) : IHeadlineScorer
{
    private volatile string name = lexicon.Name;

    /// <summary>The scorer of the latest headline.</summary>
    public string Name => name;

    public async ValueTask<(string Label, double Score)> ScoreAsync(string text, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var scored = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ScoreSentences([text]), cancellationToken);
        if (scored is { Scores: [var score] })
        {
            name = scored.Model;
            return (score.Label, score.Score);
        }

        name = lexicon.Name;
        return await lexicon.ScoreAsync(text, cancellationToken);
    }
}
