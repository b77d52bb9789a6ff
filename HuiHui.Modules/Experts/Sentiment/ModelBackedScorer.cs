using FluentValidation;
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

internal sealed class ScoreTextValidator : AbstractValidator<ScoreText>
{
    public ScoreTextValidator()
    {
        RuleFor(q => q.Texts).NotNull().Must(t => t.Count <= 100_000).WithMessage("at most 100,000 texts at a time");
        RuleForEach(q => q.Texts).NotNull().MaximumLength(10_000);
    }
}

internal sealed class ScoreTextHandler(IMediator mediator, LexiconScorer lexicon) : IQueryHandler<ScoreText, TextScores>
{
    public async ValueTask<TextScores> Handle(ScoreText query, CancellationToken cancellationToken)
    {
        if (!query.LexiconOnly && await mediator.Send(new ScoreSentences(query.Texts), cancellationToken) is { } scored)
        {
            return new TextScores(scored.Model, scored.Scores.Select(s => new TextScore(s.Label, s.Score)).ToList());
        }

        return new TextScores(lexicon.Name, query.Texts.Select(t => LexiconScorer.Score(t) is var (label, score) ? new TextScore(label, score) : null!).ToList());
    }
}
