using System.Reflection;
using System.Text.RegularExpressions;
using HuiHui.Modules.Shared;
using NetArchTest.Rules;

namespace HuiHui.Tests.Architecture;

/// <summary>
/// The layers (docs/architecture.md): Shared → Cache → Ingestion, Education → Cluster, Experts → Learning → Monitoring → Host.
/// A module may use the contracts of the modules below it only, and its SQL names its own schemas only.
/// </summary>
public sealed partial class LayerTests
{
    private const string Root = "HuiHui.Modules";
    private static readonly Assembly Modules = typeof(SharedModule).Assembly;

    /// <summary>Every allowed arrow between modules: a module → the modules it may depend on.</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["Cache"] = [],
        ["Ingestion"] = ["Cache"],
        ["Education"] = ["Cache"],
        ["Cluster"] = ["Cache", "Ingestion"],
        ["Experts"] = ["Cache", "Ingestion", "Education"],
        ["Learning"] = ["Cache", "Ingestion", "Education", "Experts"],
        ["Monitoring"] = ["Cache", "Ingestion", "Education", "Cluster", "Experts", "Learning"],
    };

    /// <summary>The PostgreSQL schemas each module owns.</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Schemas = new Dictionary<string, string[]>
    {
        ["Cache"] = [],
        ["Ingestion"] = ["market_data"],
        ["Education"] = ["education"],
        ["Cluster"] = ["cluster"],
        ["Experts"] = ["moe_analysis"],
        ["Learning"] = ["training"],
        ["Monitoring"] = ["usage_stats", "system_health"],
    };

    [Test]
    public void EveryArrowBetweenModules_IsAnAllowedOne()
    {
        Assert.That(Violations(Allowed), Is.Empty, "a module depends on one it may not (a loop, or an arrow upwards)");
    }

    [Test]
    public void TheArrowRule_CatchesAnArrowThatIsNotListed()
    {
        // Take one real arrow out of the list: the rule must report it, or it proves nothing.
        var withoutExpertsToIngestion = Allowed.ToDictionary(a => a.Key, a => a.Key == "Experts" ? a.Value.Where(m => m != "Ingestion").ToArray() : a.Value);

        Assert.That(Violations(withoutExpertsToIngestion), Has.Some.StartsWith("Experts → Ingestion:"));
    }

    [Test]
    public void TheArrows_HaveNoLoop()
    {
        foreach (var (module, below) in Allowed)
        {
            Assert.That(Reachable(module), Does.Not.Contain(module), $"{module} reaches itself through the allowed arrows");
        }
    }

    [Test]
    public void EveryModulesSql_NamesOnlyItsOwnSchemas()
    {
        var root = RepositoryRoot();
        var found = Allowed.Keys.SelectMany(module => Directory.EnumerateFiles(Path.Combine(root, "HuiHui.Modules", module), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .SelectMany(f => ForeignSchemas(module, File.ReadAllText(f)).Select(s => $"{module}: {Path.GetFileName(f)} names {s}")))
            .ToList();

        Assert.That(found, Is.Empty, "ask the owning module through its contracts instead");
    }

    [Test]
    public void TheSchemaRule_CatchesSqlNamingAnotherModulesSchema_AndIgnoresComments()
    {
        const string Source = """
            /// <summary>Reads <c>market_data.options_chain</c> through Ingestion.</summary>
            var sql = "SELECT count(*) FROM market_data.options_chain WHERE underlying = $1";
            var mine = "SELECT 1 FROM moe_analysis.expert_responses";
            """;

        Assert.That(ForeignSchemas("Experts", Source), Is.EqualTo(new[] { "market_data.options_chain" }));
    }

    internal static IEnumerable<string> ForeignSchemas(string module, string source)
    {
        var foreign = Schemas.Where(s => s.Key != module).SelectMany(s => s.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var line in source.Split('\n'))
        {
            var code = line.TrimStart();
            if (code.StartsWith("//", StringComparison.Ordinal) || code.StartsWith('*'))
            {
                continue;
            }

            foreach (Match match in QualifiedName().Matches(line))
            {
                if (foreign.Contains(match.Groups[1].Value))
                {
                    yield return match.Value;
                }
            }
        }
    }

    private static List<string> Violations(IReadOnlyDictionary<string, string[]> allowed)
    {
        var violations = new List<string>();
        foreach (var (module, below) in allowed)
        {
            foreach (var other in allowed.Keys.Where(o => o != module && !below.Contains(o)))
            {
                var result = Types.InAssembly(Modules).That().ResideInNamespace($"{Root}.{module}").ShouldNot().HaveDependencyOn($"{Root}.{other}").GetResult();
                if (!result.IsSuccessful)
                {
                    violations.Add($"{module} → {other}: {string.Join(", ", result.FailingTypeNames ?? [])}");
                }
            }
        }

        return violations;
    }

    private static HashSet<string> Reachable(string module)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>(Allowed[module]);
        while (stack.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var further in Allowed[next])
                {
                    stack.Push(further);
                }
            }
        }

        return seen;
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HuiHui.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("HuiHui.sln not found above the test output folder");
    }

    [GeneratedRegex(@"\b(market_data|moe_analysis|usage_stats|system_health|training|education)\.[a-z_]+\b")]
    private static partial Regex QualifiedName();
}
