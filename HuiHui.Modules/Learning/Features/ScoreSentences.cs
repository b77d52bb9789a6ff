using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Learning.Models;
using Mediator;

namespace HuiHui.Modules.Learning.Features;

internal sealed class ScoreSentencesHandler(SentimentModelHost host) : IQueryHandler<ScoreSentences, SentenceScores?>
{
    public async ValueTask<SentenceScores?> Handle(ScoreSentences query, CancellationToken cancellationToken)
    {
        var model = await host.CurrentAsync(cancellationToken);
        return model is null ? null : new SentenceScores(model.Name, query.Sentences.Select(model.Score).ToList());
    }
}
