using System.Reflection;
using HuiHui.Modules.Shared;
using NetArchTest.Rules;

namespace HuiHui.Tests.Architecture;

/// <summary>
/// A module uses only itself, Shared and other modules' Contracts; what is not Contracts is not public.
/// </summary>
public sealed class ModuleBoundaryTests
{
    private const string Root = "HuiHui.Modules";
    private static readonly Assembly Modules = typeof(SharedModule).Assembly;
    private static readonly string[] ModuleNames = ["Ingestion", "Cache", "Experts", "Learning", "Education", "Cluster", "Monitoring"];

    public static IEnumerable<string> EveryModule => ModuleNames;

    [Test]
    public void ModuleFolders_EachHaveARegistrationClass()
    {
        foreach (var module in ModuleNames.Append("Shared"))
        {
            var registration = Modules.GetType($"{Root}.{module}.{module}Module");
            Assert.That(registration, Is.Not.Null, $"{module} has no {module}Module registration class");
            Assert.That(registration!.IsPublic && registration.IsAbstract && registration.IsSealed, Is.True, $"{module}Module is a public static class");
        }
    }

    [TestCaseSource(nameof(EveryModule))]
    public void Module_UsesOnlyItselfSharedAndOtherModulesContracts(string module)
    {
        var forbidden = ModuleNames.Where(other => other != module).SelectMany(NonContractTypeNames).ToArray();

        var result = Types.InAssembly(Modules).That().ResideInNamespace($"{Root}.{module}").ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

        Assert.That(result.IsSuccessful, Is.True, $"{module} reaches into other modules' internals: {Describe(result)}");
    }

    [Test]
    public void Shared_DependsOnNoModule()
    {
        var result = Types.InAssembly(Modules).That().ResideInNamespace($"{Root}.Shared")
            .ShouldNot().HaveDependencyOnAny([.. ModuleNames.Select(m => $"{Root}.{m}")]).GetResult();

        Assert.That(result.IsSuccessful, Is.True, $"Shared depends on a module: {Describe(result)}");
    }

    [Test]
    public void Modules_DoNotDependOnTheHost()
    {
        var result = Types.InAssembly(Modules).ShouldNot().HaveDependencyOn("HuiHui.Host").GetResult();

        Assert.That(result.IsSuccessful, Is.True, Describe(result));
    }

    [Test]
    public void TypesOutsideContracts_AreNotPublic_ExceptRegistrationClasses()
    {
        var exposed = Modules.GetTypes()
            .Where(t => t.IsPublic && t.Namespace?.StartsWith(Root, StringComparison.Ordinal) == true)
            .Where(t => !IsContracts(t.Namespace!))
            .Where(t => !(t.Namespace == $"{Root}.{t.Name.Replace("Module", "", StringComparison.Ordinal)}" && t.Name.EndsWith("Module", StringComparison.Ordinal)))
            .Select(t => t.FullName)
            .ToList();

        Assert.That(exposed, Is.Empty, "make these internal sealed, or move them to the module's Contracts");
    }

    private static bool IsContracts(string ns) => ns.Contains(".Contracts", StringComparison.Ordinal);

    private static IEnumerable<string> NonContractTypeNames(string module) =>
        Modules.GetTypes()
            .Where(t => t.Namespace is { } ns && (ns == $"{Root}.{module}" || ns.StartsWith($"{Root}.{module}.", StringComparison.Ordinal)) && !IsContracts(ns))
            .Select(t => t.FullName!.Replace('+', '/'));

    private static string Describe(TestResult result) => string.Join(", ", result.FailingTypeNames ?? []);
}
