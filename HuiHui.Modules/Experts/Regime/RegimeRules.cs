using System.Globalization;
using HuiHui.Modules.Experts.Contracts;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Experts.Regime;

/// <summary>
/// <c>HuiHui:Regimes</c>: the named regimes as rules, as in the EOTS configuration. The highest-<see cref="RegimeRule.Priority"/>
/// rule whose conditions all hold names the regime; none holding gives <see cref="Default"/>. The eleven default rules are
/// in appsettings.json and docs/metrics.md; a rule is changed or added through configuration (environment variables
/// <c>HuiHui__Regimes__Rules__N__…</c> included) and picked up when the configuration reloads.
/// </summary>
internal sealed class RegimeRulesOptions
{
    public const string Section = "HuiHui:Regimes";

    public List<RegimeRule> Rules { get; set; } = [];

    public string Default { get; set; } = "Unclear or transitioning";
}

internal sealed class RegimeRule
{
    public string Name { get; set; } = "";

    public int Priority { get; set; }

    public List<RegimeCondition> When { get; set; } = [];
}

/// <summary><c>{ Metric, Op, Value, Value2 }</c>: <c>Op</c> one of gt, lt, gte, lte, between (inclusive, then <c>Value2</c> is the upper bound).</summary>
internal sealed class RegimeCondition
{
    public string Metric { get; set; } = "";

    public string Op { get; set; } = "";

    public double Value { get; set; }

    public double? Value2 { get; set; }
}

/// <summary>Checks every rule at start and on reload: unknown metric or operator, missing name, a between without its bounds.</summary>
internal sealed class RegimeRulesValidator : IValidateOptions<RegimeRulesOptions>
{
    public static readonly string[] Operators = ["gt", "lt", "gte", "lte", "between"];

    public ValidateOptionsResult Validate(string? name, RegimeRulesOptions options)
    {
        var failures = new List<string>();
        for (var r = 0; r < options.Rules.Count; r++)
        {
            var rule = options.Rules[r];
            var at = $"{RegimeRulesOptions.Section}:Rules:{r}";
            var label = string.IsNullOrWhiteSpace(rule.Name) ? at : $"{at} ('{rule.Name}')";
            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                failures.Add($"{at}:Name is missing: every regime rule needs a name");
            }

            if (rule.When.Count == 0)
            {
                failures.Add($"{label}:When has no conditions");
            }

            for (var c = 0; c < rule.When.Count; c++)
            {
                var condition = rule.When[c];
                var field = $"{label} When:{c}";
                if (RegimeMetrics.Find(condition.Metric) is null)
                {
                    failures.Add($"{field}:Metric '{condition.Metric}' is not a metric of the analysis (names: docs/metrics.md, e.g. flow.vapiFa, eots.hpEod, volatility.atmIv)");
                }

                if (!Operators.Contains(condition.Op?.Trim(), StringComparer.OrdinalIgnoreCase))
                {
                    failures.Add($"{field}:Op '{condition.Op}' is not an operator: use {string.Join(", ", Operators)}");
                }
                else if (string.Equals(condition.Op!.Trim(), "between", StringComparison.OrdinalIgnoreCase)
                    && (condition.Value2 is not { } upper || upper < condition.Value))
                {
                    failures.Add($"{field}:Value2 must be given and at least Value ({condition.Value.ToString(CultureInfo.InvariantCulture)}) for 'between'");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// The rules in force, ordered by priority (highest first; ties in configuration order), rebuilt when the configuration
/// changes. Thread-safe: an evaluation reads one immutable snapshot of the rules.
/// </summary>
internal sealed class RegimeRuleSet : IDisposable
{
    private readonly IDisposable? subscription;
    private volatile Compiled current;

    public RegimeRuleSet(IOptionsMonitor<RegimeRulesOptions> options)
    {
        current = Compile(options.CurrentValue);
        subscription = options.OnChange(o => current = Compile(o));
    }

    /// <summary>For tests and tools: a fixed set.</summary>
    public RegimeRuleSet(RegimeRulesOptions options) => current = Compile(options);

    public int Count => current.Rules.Length;

    /// <summary>The regime's name and the conditions that held (e.g. <c>flow.vapiFa 2.41 &gt; 2</c>).</summary>
    public (string Name, IReadOnlyList<string> Held) Evaluate(MetricsBundle metrics, RegimeContext context)
    {
        var rules = current;
        foreach (var rule in rules.Rules)
        {
            var held = new List<string>(rule.Conditions.Length);
            foreach (var condition in rule.Conditions)
            {
                if (condition.Read(metrics, context) is not { } value || !double.IsFinite(value) || !condition.Holds(value))
                {
                    held = null;
                    break;
                }

                held.Add(condition.Describe(value));
            }

            if (held is not null)
            {
                return (rule.Name, held);
            }
        }

        return (rules.Default, []);
    }

    public void Dispose() => subscription?.Dispose();

    private static Compiled Compile(RegimeRulesOptions options)
    {
        // Highest priority first, ties in the order written (a stable sort). Plain loops: LINQ over value tuples is code the
        // ReadyToRun image cannot hold, compiled at run time on a fresh process's first analysis (~20 ms).
        var kept = options.Rules.Where(rule => rule.When.Count > 0).ToArray();
        var order = new int[kept.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => kept[a].Priority != kept[b].Priority ? kept[b].Priority.CompareTo(kept[a].Priority) : a.CompareTo(b));
        var rules = new CompiledRule[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var rule = kept[order[i]];
            var conditions = new CompiledCondition[rule.When.Count];
            for (var c = 0; c < conditions.Length; c++)
            {
                conditions[c] = CompiledCondition.From(rule.When[c]);
            }

            rules[i] = new CompiledRule(rule.Name.Trim(), conditions);
        }

        return new Compiled(rules, options.Default);
    }

    private sealed record Compiled(CompiledRule[] Rules, string Default);

    private sealed record CompiledRule(string Name, CompiledCondition[] Conditions);

    private sealed record CompiledCondition(string Metric, string Op, double Value, double Value2, Func<MetricsBundle, RegimeContext, double?> Read)
    {
        public static CompiledCondition From(RegimeCondition c) =>
            new(c.Metric.Trim(), c.Op.Trim().ToLowerInvariant(), c.Value, c.Value2 ?? c.Value,
                RegimeMetrics.Find(c.Metric) ?? throw new OptionsValidationException(RegimeRulesOptions.Section, typeof(RegimeRulesOptions), [$"unknown metric '{c.Metric}'"]));

        public bool Holds(double x) => Op switch
        {
            "gt" => x > Value,
            "lt" => x < Value,
            "gte" => x >= Value,
            "lte" => x <= Value,
            "between" => x >= Value && x <= Value2,
            _ => false,
        };

        public string Describe(double x)
        {
            var c = CultureInfo.InvariantCulture;
            var shown = x.ToString("G4", c);
            return Op switch
            {
                "gt" => $"{Metric} {shown} > {Value.ToString(c)}",
                "lt" => $"{Metric} {shown} < {Value.ToString(c)}",
                "gte" => $"{Metric} {shown} ≥ {Value.ToString(c)}",
                "lte" => $"{Metric} {shown} ≤ {Value.ToString(c)}",
                _ => $"{Metric} {shown} in [{Value.ToString(c)}, {Value2.ToString(c)}]",
            };
        }
    }
}
