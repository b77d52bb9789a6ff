using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Metrics;
using HuiHui.Modules.Experts.Regime;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Tests.Ingestion;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HuiHui.Tests.Experts;

/// <summary>Regimes named by configured rules: priority, evidence, validation, and the shipped EOTS set on the simulator.</summary>
public sealed class RegimeRulesTests
{
    private static readonly MetricsCalculator Calculator = new(Microsoft.Extensions.Options.Options.Create(new MetricsOptions()));

    private static RegimeRule Rule(string name, int priority, params (string Metric, string Op, double Value, double? Value2)[] when) => new()
    {
        Name = name,
        Priority = priority,
        When = when.Select(w => new RegimeCondition { Metric = w.Metric, Op = w.Op, Value = w.Value, Value2 = w.Value2 }).ToList(),
    };

    private static (MetricsBundle Metrics, Modules.Ingestion.Contracts.ChainSnapshot Snapshot) Analysed()
    {
        var market = SimulatedMarketTests.Market(seed: 7, historyDays: 2);
        var snapshot = market.Snapshot("SPY", market.CurrentMinute);
        return (Calculator.Compute(snapshot, [], []), snapshot);
    }

    [Test]
    public void TheHighestPriorityRuleWhoseConditionsAllHold_NamesTheRegime_WithItsEvidence()
    {
        var (metrics, snapshot) = Analysed();
        var atm = metrics.Volatility.AtmIv!.Value;
        var options = new RegimeRulesOptions
        {
            Rules =
            [
                Rule("Low", 1, ("volatility.atmIv", "gt", 0, null)),
                Rule("Never", 50, ("volatility.atmIv", "gt", 0, null), ("spot", "lt", 0, null)),
                Rule("Band", 10, ("atmIv", "between", atm - 0.01, atm + 0.01), ("contracts", "gte", metrics.Contracts, null)),
            ],
        };

        var response = MarketRegimeExpert.Assess(snapshot, metrics, new RegimeRuleSet(options));

        Assert.That(response.Name, Is.EqualTo("Band"), "'Never' has a condition that fails; 'Band' outranks 'Low'");
        Assert.That(response.RuleEvidence, Has.Count.EqualTo(2));
        Assert.That(response.RuleEvidence![0], Does.StartWith("atmIv ").And.Contain(" in ["));
        Assert.That(response.RuleEvidence[1], Does.StartWith($"contracts {metrics.Contracts} ≥ "));

        options.Rules.RemoveAt(2);
        Assert.That(new RegimeRuleSet(options).Evaluate(metrics, RegimeContextOf(snapshot, metrics)).Name, Is.EqualTo("Low"));
        options.Rules.Clear();
        Assert.That(new RegimeRuleSet(options).Evaluate(metrics, RegimeContextOf(snapshot, metrics)), Is.EqualTo(("Unclear or transitioning", (IReadOnlyList<string>)[])).Using(new EvaluationComparer()));
    }

    [Test]
    public void Validation_NamesTheRuleAndTheField()
    {
        var options = new RegimeRulesOptions
        {
            Rules =
            [
                Rule("Good", 1, ("flow.vapiFa", "gt", 2, null)),
                Rule("Typo", 2, ("flow.vapiFA", "gt", 2, null), ("eots.hpEodd", "lt", 0, null)),
                Rule("Bad op", 3, ("spot", "above", 1, null)),
                Rule("Open band", 4, ("spot", "between", 5, null)),
                Rule("", 5, ("spot", "gt", 1, null)),
            ],
        };

        var result = new RegimeRulesValidator().Validate(null, options);

        Assert.That(result.Failed, Is.True);
        var failures = result.Failures!.ToList();
        Assert.That(failures, Has.Count.EqualTo(4), string.Join(Environment.NewLine, failures));
        Assert.That(failures[0], Does.Contain("HuiHui:Regimes:Rules:1 ('Typo') When:1:Metric 'eots.hpEodd' is not a metric"));
        Assert.That(failures[1], Does.Contain("Rules:2 ('Bad op') When:0:Op 'above' is not an operator"));
        Assert.That(failures[2], Does.Contain("Rules:3 ('Open band') When:0:Value2 must be given"));
        Assert.That(failures[3], Does.Contain("Rules:4:Name is missing"));
        Assert.That(RegimeMetrics.Find("FLOW.VAPIFA"), Is.Not.Null, "names are case-insensitive");
    }

    [Test]
    public void TheShippedEotsRules_Validate_AndAreMeasuredAgainstTheSimulatorsHiddenRegimes()
    {
        var settings = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var options = settings.GetSection(RegimeRulesOptions.Section).Get<RegimeRulesOptions>()!;
        Assert.That(options.Rules, Has.Count.EqualTo(11), "the eleven EOTS regimes");
        var validation = new RegimeRulesValidator().Validate(null, options);
        Assert.That(validation.Succeeded, Is.True, string.Join("; ", validation.Failures ?? []));

        var rules = new RegimeRuleSet(options);
        var market = SimulatedMarketTests.Market(seed: 90_210, historyDays: 5);
        var confusion = new Dictionary<(MarketRegime Truth, string Named), int>();
        var total = 0;
        foreach (var symbol in new[] { "SPY", "QQQ", "IWM" })
        {
            for (var minute = market.CurrentMinute; minute < market.CurrentMinute + 5 * 390; minute += 37, total++)
            {
                var snapshot = market.Snapshot(symbol, minute);
                var named = MarketRegimeExpert.Assess(snapshot, Calculator.Compute(snapshot, [], []), rules).Name!;
                var key = (market.GroundTruth(symbol, minute).Regime, named);
                confusion[key] = confusion.GetValueOrDefault(key) + 1;
            }
        }

        // The confusion matrix for docs/metrics.md: rows the hidden regime, columns the rule-named regime.
        foreach (var row in confusion.GroupBy(c => c.Key.Truth).OrderBy(g => g.Key))
        {
            TestContext.Out.WriteLine($"{row.Key}: " + string.Join(", ", row.OrderByDescending(c => c.Value).Select(c => $"{c.Key.Named} {c.Value}")));
        }

        var names = options.Rules.Select(r => r.Name).Append(options.Default).ToHashSet();
        Assert.That(confusion.Keys.Select(k => k.Named).Distinct(), Is.SubsetOf(names));
        Assert.That(confusion.Keys.Select(k => k.Named).Distinct().Count(), Is.GreaterThanOrEqualTo(2), "the rules separate at least two states of the simulated market");
    }

    [Test]
    public void Rules_AreReloaded_WhenTheConfigurationChanges()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HuiHui:Regimes:Rules:0:Name"] = "First",
            ["HuiHui:Regimes:Rules:0:When:0:Metric"] = "spot",
            ["HuiHui:Regimes:Rules:0:When:0:Op"] = "gt",
            ["HuiHui:Regimes:Rules:0:When:0:Value"] = "0",
        }).Build();
        var services = new ServiceCollection();
        services.Configure<RegimeRulesOptions>(configuration.GetSection(RegimeRulesOptions.Section));
        using var provider = services.BuildServiceProvider();
        using var rules = new RegimeRuleSet(provider.GetRequiredService<IOptionsMonitor<RegimeRulesOptions>>());
        var (metrics, snapshot) = Analysed();

        var before = rules.Evaluate(metrics, RegimeContextOf(snapshot, metrics)).Name;
        configuration["HuiHui:Regimes:Rules:0:Name"] = "Second";
        configuration.Reload();
        var after = rules.Evaluate(metrics, RegimeContextOf(snapshot, metrics)).Name;

        Assert.That((before, after), Is.EqualTo(("First", "Second")));
    }

    private static RegimeContext RegimeContextOf(Modules.Ingestion.Contracts.ChainSnapshot snapshot, MetricsBundle metrics) =>
        MarketRegimeExpert.Context(snapshot, metrics, null, null);

    private sealed class EvaluationComparer : IEqualityComparer<(string Name, IReadOnlyList<string> Held)>
    {
        public bool Equals((string Name, IReadOnlyList<string> Held) x, (string Name, IReadOnlyList<string> Held) y) => x.Name == y.Name && x.Held.SequenceEqual(y.Held);

        public int GetHashCode((string Name, IReadOnlyList<string> Held) obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
