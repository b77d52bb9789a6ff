using FluentValidation;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using Mediator;

namespace HuiHui.Modules.Experts.Features;

internal sealed class GetLatestAnalysisValidator : AbstractValidator<GetLatestAnalysis>
{
    public GetLatestAnalysisValidator() => RuleFor(q => q.Symbol).NotEmpty().MaximumLength(16);
}

internal sealed class GetLatestAnalysisHandler(IEnhancedCache cache) : IQueryHandler<GetLatestAnalysis, LatestAnalysis?>
{
    public async ValueTask<LatestAnalysis?> Handle(GetLatestAnalysis query, CancellationToken cancellationToken)
    {
        var cached = await cache.TryGetAsync(ExpertKeys.Analysis(query.Symbol), cancellationToken);
        return cached is { } value ? new LatestAnalysis(value.Value, value.IsStale, value.StoredAt) : null;
    }
}
