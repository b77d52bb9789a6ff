using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Experts.Flow;
using HuiHui.Modules.Experts.Meta;
using HuiHui.Modules.Experts.Regime;
using HuiHui.Modules.Experts.Sentiment;
using HuiHui.Modules.Ingestion.Contracts;

namespace HuiHui.Tests.Experts;

/// <summary>Each expert on crafted inputs with known answers.</summary>
public sealed class ExpertTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 24, 20, 0, 0, TimeSpan.Zero);

    private static MetricsBundle Metrics(double? atmIv = 0.15, double? termSlope = 0.01, double? riskReversal = -0.03, double gex = 1e6, double? zeroGamma = null,
        double twLaf = 0, double vapiFa = 0, double dwfd = 0, double netPremium = 0, double? ivRank = null) =>
        new("XYZ", AsOf, 100, 100, 0,
            new ExposureMetrics(gex, 0, 0, 0, [], 0, 0, 0, new ExposureSet(0, 0, 0, 0, 0), []),
            new KeyLevels(zeroGamma, 110, 90, 100, []),
            new VolatilityMetrics(atmIv, atmIv is { } iv ? [new ExpiryVolatility(new DateOnly(2026, 12, 18), 0.07, iv)] : [], termSlope, riskReversal, null, ivRank, null, null, null),
            new FlowMetrics(1, 1, netPremium, 0, 0, 0, 0, 0, 0, vapiFa, dwfd, twLaf, []),
            new EotsMetrics(0, 0, 0, 0, null, 0, 0, gex, null, null, new ZeroDteSuite(null, 0, null, null, null, null, "none"), []),
            [],
            new SliceUsed(null, null, null, 100, 0, "the whole chain"));

    private static ChainSnapshot Snapshot(params (string Headline, double HoursAgo)[] news) =>
        new("XYZ", AsOf, "test", new UnderlyingQuote("XYZ", 100, null, null, null, null, null, null, 0, AsOf), [], [], [],
            news.Select((n, i) => new NewsItem($"t:{i}", n.Headline, null, "Wire", null, AsOf.AddHours(-n.HoursAgo), ["XYZ"])).ToList(), []);

    [TestCase(0.15, 0.03, 0.01, RegimeLabel.VolatilityExpansion, TestName = "Calls priced over puts: volatility expansion")]
    [TestCase(0.30, -0.02, -0.04, RegimeLabel.HighVolDowntrend, TestName = "High IV, inverted term: high-vol downtrend")]
    [TestCase(0.13, -0.03, 0.015, RegimeLabel.LowVolUptrend, TestName = "Low IV, steep contango: low-vol uptrend")]
    [TestCase(0.15, -0.03, 0.006, RegimeLabel.RangeBound, TestName = "Low IV, flat term: range-bound")]
    public void RegimeExpert_ClassifiesByItsRules(double atmIv, double riskReversal, double termSlope, RegimeLabel expected)
    {
        var response = MarketRegimeExpert.Assess(Snapshot(), Metrics(atmIv, termSlope, riskReversal));

        Assert.That(response.Regime, Is.EqualTo(expected));
        Assert.That(response.Confidence, Is.InRange(0.0, 1.0));
    }

    [Test]
    public void RegimeExpert_ReportsDealerGammaAndWarnsNearTheFlip()
    {
        var calm = MarketRegimeExpert.Assess(Snapshot(), Metrics(gex: 5e6, zeroGamma: 80));
        var flip = MarketRegimeExpert.Assess(Snapshot(), Metrics(gex: -5e6, zeroGamma: 100.5));

        Assert.That((calm.DealerGamma, calm.TransitionWarning), Is.EqualTo((DealerGamma.Positive, false)));
        Assert.That((flip.DealerGamma, flip.TransitionWarning), Is.EqualTo((DealerGamma.Negative, true)));
        Assert.That(flip.RiskNotes, Has.Some.Contains("gamma flip").And.Some.Contains("short gamma"));
        Assert.That(flip.Confidence, Is.LessThan(calm.Confidence));
    }

    [Test]
    public void FlowExpert_FollowsTheSignedFlow()
    {
        var bullish = OptionsFlowExpert.Assess(Metrics(twLaf: 0.8, vapiFa: 2, dwfd: 1.5, netPremium: 5e5), 300, 1e6);
        var bearish = OptionsFlowExpert.Assess(Metrics(twLaf: -0.7, vapiFa: -1, dwfd: -2, netPremium: -4e5), 300, 1e6);
        var quiet = OptionsFlowExpert.Assess(Metrics(twLaf: 0.05), 10, 1e4);

        Assert.That((bullish.Bias, bearish.Bias, quiet.Bias), Is.EqualTo((Bias.Bullish, Bias.Bearish, Bias.Neutral)));
        Assert.That(bullish.Score, Is.EqualTo(0.4 * 0.8 + 0.2 * Math.Tanh(1) + 0.2 * Math.Tanh(0.75) + 0.2 * 0.5).Within(1e-12));
        Assert.That(bullish.Confidence, Is.GreaterThan(quiet.Confidence));
    }

    [TestCase("XYZ rallies as profits beat estimates", "positive")]
    [TestCase("Analysts downgrade XYZ; shares plunge", "negative")]
    [TestCase("XYZ does not rally after earnings", "negative")]
    [TestCase("XYZ little changed ahead of jobs report", "neutral")]
    public void Lexicon_ScoresHeadlines(string headline, string label)
    {
        Assert.That(LexiconScorer.Score(headline).Label, Is.EqualTo(label));
    }

    [Test]
    public async Task SentimentExpert_WeighsRecentHeadlinesMore_AndMeasuresMomentum()
    {
        var turningUp = await MarketIntelligenceExpert.AssessAsync(Snapshot(("XYZ rallies on record profits", 0.2), ("XYZ slides as sales disappoint", 5), ("XYZ falls on weak guidance", 6)), new LexiconScorer(), CancellationToken.None);
        var none = await MarketIntelligenceExpert.AssessAsync(Snapshot(), new LexiconScorer(), CancellationToken.None);

        Assert.That(turningUp.Score, Is.GreaterThan(0), "the fresh positive headline outweighs two older negative ones");
        Assert.That(turningUp.Momentum, Is.GreaterThan(0));
        Assert.That(turningUp.Headlines[0].Label, Is.EqualTo("positive"));
        Assert.That((none.Bias, none.Confidence, none.Headlines.Count), Is.EqualTo((Bias.Neutral, 0.0, 0)));
    }

    [Test]
    public async Task Meta_CombinesTheExperts_AndLosesConvictionWhenOneIsMissing()
    {
        var metrics = Metrics(ivRank: 0.2);
        var regime = MarketRegimeExpert.Assess(Snapshot(), Metrics(0.13, 0.015, -0.03));
        var flow = OptionsFlowExpert.Assess(Metrics(twLaf: 0.8, vapiFa: 2, dwfd: 1.5, netPremium: 5e5), 300, 1e6);
        var sentiment = await MarketIntelligenceExpert.AssessAsync(Snapshot(("XYZ rallies on record profits", 0.2)), new LexiconScorer(), CancellationToken.None);

        var all = MetaOrchestrator.Combine("XYZ", metrics, regime, flow, sentiment, MetaOrchestrator.DefaultWeights);
        var withoutFlow = MetaOrchestrator.Combine("XYZ", metrics, regime, null, sentiment, MetaOrchestrator.DefaultWeights);

        Assert.That((all.Bias, all.Strategy), Is.EqualTo((Bias.Bullish, "long calls")), "bullish with cheap volatility");
        Assert.That(all.MissingExperts, Is.Empty);
        Assert.That(withoutFlow.MissingExperts, Is.EqualTo(new[] { ExpertIds.Flow }));
        Assert.That(withoutFlow.Conviction, Is.LessThan(all.Conviction));
        Assert.That(withoutFlow.RiskNotes, Has.Some.Contains("flow expert did not answer"));
        Assert.That(all.Narrative, Does.Contain("XYZ").And.Contain("long calls").And.Contain("call wall 110"));
    }

    [Test]
    public async Task Meta_Narrative_WritesAScoreThatRoundsToZeroAsZero()
    {
        var sentiment = await MarketIntelligenceExpert.AssessAsync(Snapshot(("XYZ rallies on record profits", 0.2)), new LexiconScorer(), CancellationToken.None);
        var nearlyNeutral = sentiment with { Score = -0.001 };
        var negative = sentiment with { Score = -0.25 };

        var narrative = MetaOrchestrator.Combine("XYZ", Metrics(), null, null, nearlyNeutral, MetaOrchestrator.DefaultWeights).Narrative;
        var negativeNarrative = MetaOrchestrator.Combine("XYZ", Metrics(), null, null, negative, MetaOrchestrator.DefaultWeights).Narrative;

        Assert.That(narrative, Does.Contain("(score 0.00 over 1 headline(s))"), "not '-+0.00'");
        Assert.That(negativeNarrative, Does.Contain("(score -0.25 over"));
    }

    [Test]
    public void Meta_PicksStrategiesFromBiasAndVolatility()
    {
        var rich = Metrics(ivRank: 0.9);
        var bearishFlow = OptionsFlowExpert.Assess(Metrics(twLaf: -0.9, vapiFa: -2, dwfd: -2, netPremium: -5e5), 300, 1e6);
        var neutralFlow = OptionsFlowExpert.Assess(Metrics(), 300, 1e6);
        var positiveGammaRange = MarketRegimeExpert.Assess(Snapshot(), Metrics(0.15, 0.006, -0.03, gex: 1e6));

        Assert.That(MetaOrchestrator.Combine("XYZ", rich, null, bearishFlow, null, MetaOrchestrator.DefaultWeights).Strategy, Is.EqualTo("call credit spread"));
        Assert.That(MetaOrchestrator.Combine("XYZ", rich, positiveGammaRange, neutralFlow, null, MetaOrchestrator.DefaultWeights).Strategy, Is.EqualTo("iron condor"));
    }

    [Test]
    public void Meta_NamesOnlyTheStrategiesItLists_AndEachOfThem()
    {
        var metrics = Metrics(ivRank: 0.9);
        var measured = MarketRegimeExpert.Assess(Snapshot(), Metrics(0.15, 0.006, -0.03, gex: 1e6));
        var regimes = new List<RegimeResponse?> { null };
        regimes.AddRange(from label in Enum.GetValues<RegimeLabel>() from gamma in Enum.GetValues<DealerGamma>() select measured with { Regime = label, DealerGamma = gamma });

        var named = (from bias in Enum.GetValues<Bias>()
                     from conviction in new[] { 0.3, 0.8 }
                     from richVol in new[] { false, true }
                     from regime in regimes
                     select MetaOrchestrator.Strategy(bias, conviction, richVol, regime, metrics.KeyLevels, metrics.Spot).Strategy).ToHashSet();

        Assert.That(named, Is.EquivalentTo(MetaOrchestrator.Strategies), "the citation topics warmed at start are built from this list");
    }
}
