using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Cache.Contracts;

/// <summary>
/// Source-generated JSON metadata for values a module caches (<see cref="CachedTypesRegistration.AddCachedTypes"/>). The
/// cache reads and writes those types from it instead of building their metadata by reflection — the first write and read
/// of a large value in a fresh process (a chain, an analysis) cost ~100 ms each before. The cache's own options (web
/// defaults: camelCase names, numeric enums) apply to every type, so a context changes the speed, never the bytes; a type
/// no context covers is still served through reflection. The metadata of <paramref name="Types"/> (the values' root types)
/// is prepared on the thread pool as the cache starts, in the order given (list them in the order a process first needs
/// them, the largest last): even generated, an analysis's graph takes ~35 ms to configure, which a fresh process then no
/// longer pays on its first read or write.
/// </summary>
public sealed record CachedTypes(IJsonTypeInfoResolver Resolver, IReadOnlyList<Type> Types);

public static class CachedTypesRegistration
{
    /// <summary>
    /// Contributes a module's source-generated context (declare it with <c>JsonSerializerDefaults.Web</c>) and the root types
    /// it caches.
    /// </summary>
    public static IServiceCollection AddCachedTypes(this IServiceCollection services, IJsonTypeInfoResolver resolver, params Type[] types) =>
        services.AddSingleton(new CachedTypes(resolver, types));
}
