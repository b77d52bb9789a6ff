using HuiHui.Modules.Cache.Contracts;
using Mediator;

namespace HuiHui.Modules.Cache.Features;

internal sealed class GetCacheStatsHandler(IEnhancedCache cache) : IQueryHandler<GetCacheStats, CacheStats>
{
    public ValueTask<CacheStats> Handle(GetCacheStats query, CancellationToken cancellationToken) => ValueTask.FromResult(cache.GetStats());
}
