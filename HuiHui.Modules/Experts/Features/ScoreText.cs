using FluentValidation;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Sentiment;
using Mediator;

namespace HuiHui.Modules.Experts.Features;

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
