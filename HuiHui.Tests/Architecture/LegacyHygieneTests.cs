using System.Reflection;
using HuiHui.Modules.Shared;

namespace HuiHui.Tests.Architecture;

/// <summary>
/// Nothing may reference a type in a namespace (or folder) named <c>Deprecated</c>, except other deprecated code:
/// legacy code is kept only until it can be deleted, and nothing new may lean on it.
/// </summary>
public sealed class LegacyHygieneTests
{
    [Test]
    public void NothingReferencesDeprecatedCode_InModulesOrHost()
    {
        var violations = DeprecatedReferences(typeof(SharedModule).Assembly).Concat(DeprecatedReferences(typeof(Program).Assembly)).ToList();

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void TheRule_CatchesAReferenceToDeprecatedCode()
    {
        // This assembly holds a deliberate offender (Samples.UsesDeprecated): the rule must see it, or it proves nothing.
        var violations = DeprecatedReferences(typeof(LegacyHygieneTests).Assembly).ToList();

        // Names as text: a typeof() here would itself be a reference the rule reports.
        Assert.That(violations, Is.EqualTo(new[] { "HuiHui.Tests.Architecture.Samples.UsesDeprecated -> HuiHui.Tests.Architecture.Samples.Deprecated.OldPricer" }));
    }

    [Test]
    public void SourceFilesInDeprecatedFolders_DeclareADeprecatedNamespace()
    {
        var root = RepositoryRoot();
        var misplaced = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Path.GetDirectoryName(f)!.Split(Path.DirectorySeparatorChar).Contains("Deprecated"))
            .Where(f => !File.ReadLines(f).Any(l => l.StartsWith("namespace ", StringComparison.Ordinal) && l.Contains(".Deprecated", StringComparison.Ordinal)))
            .ToList();

        Assert.That(misplaced, Is.Empty, "a file in a Deprecated folder must be in a Deprecated namespace so the reference rule covers it");
    }

    /// <summary>"Referrer -> deprecated type" for every non-deprecated type that uses a deprecated one.</summary>
    internal static IEnumerable<string> DeprecatedReferences(Assembly assembly)
    {
        static bool IsDeprecated(Type t) => t.Namespace?.Split('.').Contains("Deprecated") == true;

        var deprecated = assembly.GetTypes().Where(IsDeprecated).Select(t => t.FullName!.Replace('+', '/')).ToArray();
        if (deprecated.Length == 0)
        {
            return [];
        }

        var offenders = NetArchTest.Rules.Types.InAssembly(assembly)
            .That().DoNotResideInNamespaceMatching(@"(^|\.)Deprecated(\.|$)")
            .Should().NotHaveDependencyOnAny(deprecated)
            .GetResult().FailingTypes ?? [];

        return offenders.SelectMany(o => deprecated.Where(d => References(o, d)).Select(d => $"{o.FullName} -> {d}"));
    }

    private static bool References(Type referrer, string deprecatedType) =>
        NetArchTest.Rules.Types.InAssembly(referrer.Assembly).That().HaveName(referrer.Name).And().ResideInNamespace(referrer.Namespace!)
            .Should().NotHaveDependencyOn(deprecatedType).GetResult().IsSuccessful is false;

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HuiHui.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("HuiHui.sln not found above the test output folder");
    }
}
