using System.CodeDom.Compiler;
using System.Reflection;
using System.Text.RegularExpressions;
using HuiHui.Modules.Shared;

namespace HuiHui.Tests.Architecture;

/// <summary>
/// One use case per file (issue 20 §4): every Mediator handler lives in its module's <c>Features</c> namespace, in
/// <c>HuiHui.Modules/&lt;Module&gt;/Features/&lt;VerbNoun&gt;.cs</c>: one class per message, one message per file, and the file named
/// after the message it handles (a notification handler's file after the handler, whose name says what it does).
/// </summary>
public sealed partial class FeatureLayoutTests
{
    private const string SamplesNamespace = "HuiHui.Tests.Architecture.Samples";
    private static readonly Assembly Modules = typeof(SharedModule).Assembly;

    [Test]
    public void EveryHandler_IsInItsModulesFeaturesNamespace()
    {
        var handlers = Handlers(Modules).ToList();

        Assert.That(handlers, Has.Count.GreaterThan(50), "the handlers were not found: the rule would prove nothing");
        Assert.That(Misplaced(handlers), Is.Empty, "move the handler to HuiHui.Modules/<Module>/Features/<Message>.cs");
    }

    [Test]
    public void TheNamespaceRule_CatchesAHandlerOutsideFeatures()
    {
        // This assembly holds deliberate offenders (Samples.MisplacedHandlers): the rule must see them, or it proves nothing.
        var samples = Handlers(typeof(FeatureLayoutTests).Assembly).Where(h => h.Type.Namespace == SamplesNamespace);

        Assert.That(Misplaced(samples), Is.EquivalentTo(new[]
        {
            $"{SamplesNamespace}.ListThingsHandler is in {SamplesNamespace}",
            $"{SamplesNamespace}.GetThingHandler is in {SamplesNamespace}",
            $"{SamplesNamespace}.ThingHandlers is in {SamplesNamespace}",
        }));
    }

    [Test]
    public void EveryFeaturesFile_HandlesOneMessage_AndIsNamedAfterIt()
    {
        var root = LayerTests.RepositoryRoot();
        var sources = Directory.EnumerateDirectories(Path.Combine(root, "HuiHui.Modules"), "Features", SearchOption.AllDirectories)
            .Where(d => !d.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !d.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs"))
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllText);

        Assert.That(sources, Is.Not.Empty);
        Assert.That(FileViolations(Handlers(Modules), sources), Is.Empty, "one use case per Features/<VerbNoun>.cs: split the file or the class");
    }

    [Test]
    public void TheFileRule_CatchesTwoMessagesInAFile_AClassWithTwo_AndAFileNamedAfterAnother()
    {
        var samples = Handlers(typeof(FeatureLayoutTests).Assembly).Where(h => h.Type.Namespace == SamplesNamespace);
        var file = Path.Combine("Samples", "Features", "ListThings.cs");
        var sources = new Dictionary<string, string>
        {
            [file] = $$"""
                namespace {{SamplesNamespace}};

                internal sealed class ListThingsHandler : IQueryHandler<ListThings, int> { }

                internal sealed class GetThingHandler : IQueryHandler<GetThing, int> { }

                internal sealed class ThingHandlers : IQueryHandler<ListThings, int>, IQueryHandler<GetThing, int> { }
                """,
        };

        Assert.That(FileViolations(samples, sources), Is.EquivalentTo(new[]
        {
            $"{SamplesNamespace}.ThingHandlers handles 2 messages (ListThings, GetThing): one class per message",
            $"{file}: GetThingHandler handles GetThing, so its file is GetThing.cs",
            $"{file} holds the handlers of 2 messages (ListThings, GetThing): one use case per file",
        }));
    }

    [Test]
    public void TheFileRule_CatchesAHandlerNoFeaturesFileDeclares()
    {
        var samples = Handlers(typeof(FeatureLayoutTests).Assembly).Where(h => h.Type == typeof(Samples.ListThingsHandler));

        Assert.That(FileViolations(samples, new Dictionary<string, string>()), Is.EqualTo(new[] { $"{SamplesNamespace}.ListThingsHandler: no file under Features/ declares it" }));
    }

    /// <summary>A class implementing Mediator's handler interfaces, the messages it answers, and whether they are notifications.</summary>
    internal sealed record Handler(Type Type, Type[] Messages, bool Notification);

    /// <summary>Every handler class of the assembly (the source generator's own types left out).</summary>
    internal static IEnumerable<Handler> Handlers(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && t.GetCustomAttribute<GeneratedCodeAttribute>() is null)
            .Select(t => (Type: t, Interfaces: t.GetInterfaces().Where(IsHandlerInterface).ToList()))
            .Where(t => t.Interfaces.Count > 0)
            .Select(t => new Handler(
                t.Type,
                [.. t.Interfaces.Select(i => i.GetGenericArguments()[0]).Distinct()],
                t.Interfaces.Any(i => i.Name.StartsWith("INotificationHandler", StringComparison.Ordinal))));

    /// <summary>"Handler is in Namespace" for every handler outside a <c>HuiHui.Modules.&lt;Module&gt;.Features</c> namespace.</summary>
    internal static IEnumerable<string> Misplaced(IEnumerable<Handler> handlers) =>
        handlers.Where(h => !FeaturesNamespace().IsMatch(h.Type.Namespace ?? ""))
            .Select(h => $"{h.Type.FullName} is in {h.Type.Namespace ?? "the global namespace"}");

    /// <summary>
    /// What breaks "one use case per file" in <paramref name="sources"/> (path → text of the files under <c>Features/</c>): a class
    /// answering several messages, a handler no such file declares, a file named after another message than its handler's (or,
    /// for a notification handler, than the handler), and a file holding the handlers of several messages.
    /// </summary>
    internal static IEnumerable<string> FileViolations(IEnumerable<Handler> handlers, IReadOnlyDictionary<string, string> sources)
    {
        var violations = new List<string>();
        var messagesByFile = new Dictionary<string, List<Type>>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (handler.Messages.Length > 1)
            {
                violations.Add($"{handler.Type.FullName} handles {handler.Messages.Length} messages ({Names(handler.Messages)}): one class per message");
            }

            var files = sources.Where(s => Declares(s.Value, handler.Type)).Select(s => s.Key).ToList();
            if (files.Count == 0)
            {
                violations.Add($"{handler.Type.FullName}: no file under Features/ declares it");
                continue;
            }

            foreach (var file in files)
            {
                var expected = handler.Notification ? handler.Type.Name : handler.Messages[0].Name;
                if (handler.Messages.Length == 1 && Path.GetFileNameWithoutExtension(file) != expected)
                {
                    violations.Add($"{file}: {handler.Type.Name} handles {handler.Messages[0].Name}, so its file is {expected}.cs");
                }

                if (!messagesByFile.TryGetValue(file, out var messages))
                {
                    messagesByFile[file] = messages = [];
                }

                messages.AddRange(handler.Messages.Where(m => !messages.Contains(m)));
            }
        }

        violations.AddRange(messagesByFile.Where(f => f.Value.Count > 1)
            .Select(f => $"{f.Key} holds the handlers of {f.Value.Count} messages ({Names(f.Value)}): one use case per file"));
        return violations;
    }

    private static bool IsHandlerInterface(Type type) =>
        type.IsGenericType && type.Namespace == "Mediator" && type.Name.StartsWith('I') && type.Name.Contains("Handler", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="source"/> is in the type's namespace and declares a class of its name.</summary>
    private static bool Declares(string source, Type type) =>
        source.Split('\n').Any(l => l.Trim() == $"namespace {type.Namespace};")
        && Regex.IsMatch(source, $@"\bclass\s+{Regex.Escape(type.Name)}\b", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static string Names(IEnumerable<Type> messages) => string.Join(", ", messages.Select(m => m.Name));

    [GeneratedRegex(@"^HuiHui\.Modules\.[A-Z][A-Za-z]*\.Features$")]
    private static partial Regex FeaturesNamespace();
}
