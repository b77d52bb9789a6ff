using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Cache;

/// <summary>The Enhanced Cache Manager: tiered TTLs, memory LRU with disk spill. It owns no database schema.</summary>
public static class CacheModule
{
    public static IServiceCollection AddCache(this IServiceCollection services, IConfiguration configuration) => services;
}
