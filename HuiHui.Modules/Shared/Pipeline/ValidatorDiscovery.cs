using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HuiHui.Modules.Shared.Pipeline;

/// <summary>
/// Registers the assembly's FluentValidation validators (scoped, internal ones included) the way
/// <c>AddValidatorsFromAssembly</c> does, without loading every type of the assembly to find them: the type names are read
/// from its metadata and only those ending in <c>Validator</c> are loaded (a full scan cost a fresh process — each CLI
/// verb — ~40 ms). The house names every validator so; a test checks this finds what the full scan finds. An assembly
/// without a file (single-file publish) is scanned in full.
/// </summary>
internal static class ValidatorDiscovery
{
    public static IServiceCollection AddValidatorsFrom(this IServiceCollection services, Assembly assembly)
    {
        foreach (var found in Find(assembly))
        {
            services.TryAddEnumerable(new ServiceDescriptor(found.InterfaceType, found.ValidatorType, ServiceLifetime.Scoped));
            services.TryAdd(new ServiceDescriptor(found.ValidatorType, found.ValidatorType, ServiceLifetime.Scoped));
        }

        return services;
    }

    public static IReadOnlyList<AssemblyScanner.AssemblyScanResult> Find(Assembly assembly) =>
        (string.IsNullOrEmpty(assembly.Location) || !File.Exists(assembly.Location)
            ? AssemblyScanner.FindValidatorsInAssembly(assembly, includeInternalTypes: true)
            : new AssemblyScanner(NamedLikeValidators(assembly))).ToList();

    private static List<Type> NamedLikeValidators(Assembly assembly)
    {
        using var file = File.OpenRead(assembly.Location);
        using var pe = new PEReader(file);
        var metadata = pe.GetMetadataReader();
        var types = new List<Type>();
        foreach (var handle in metadata.TypeDefinitions)
        {
            var definition = metadata.GetTypeDefinition(handle);
            if (!metadata.GetString(definition.Name).EndsWith("Validator", StringComparison.Ordinal))
            {
                continue;
            }

            if (assembly.GetType(FullName(metadata, definition), throwOnError: false) is { } type)
            {
                types.Add(type);
            }
        }

        return types;
    }

    /// <summary>The name <see cref="Assembly.GetType(string)"/> takes: <c>Namespace.Outer+Inner</c>.</summary>
    private static string FullName(MetadataReader metadata, TypeDefinition definition)
    {
        var name = metadata.GetString(definition.Name);
        var declaring = definition.GetDeclaringType();
        return declaring.IsNil
            ? (definition.Namespace.IsNil ? name : $"{metadata.GetString(definition.Namespace)}.{name}")
            : $"{FullName(metadata, metadata.GetTypeDefinition(declaring))}+{name}";
    }
}
