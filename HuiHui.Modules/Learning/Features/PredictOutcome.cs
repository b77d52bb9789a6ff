using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Learning.Models;
using Mediator;

namespace HuiHui.Modules.Learning.Features;

internal sealed class PredictOutcomeHandler(MetaModelHost host) : IQueryHandler<PredictOutcome, OutcomePrediction?>
{
    public async ValueTask<OutcomePrediction?> Handle(PredictOutcome query, CancellationToken cancellationToken)
    {
        var model = await host.CurrentAsync(cancellationToken);
        return model is null ? null : new OutcomePrediction(model.Name, model.ProbabilityUp(FeatureSchema.From(query.Analysis)));
    }
}
