using System.Text.Json;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Modules.Ingestion.Validation;
using HuiHui.Modules.Shared.Contracts;
using MathNet.Numerics.Statistics;
using Microsoft.Extensions.Time.Testing;

namespace HuiHui.Tests.Ingestion;

public sealed class SimulatedMarketTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);

    internal static SimulatedMarket Market(long seed = 42, double acceleration = 60, FakeTimeProvider? time = null, int historyDays = 20) =>
        new(Microsoft.Extensions.Options.Options.Create(new SimulatorOptions { Seed = seed, Acceleration = acceleration, HistoryDays = historyDays }),
            time ?? new FakeTimeProvider(Start));

    [Test]
    public void SameSeed_GivesTheSameMarket_WhateverTheOrderOfQuestions()
    {
        var one = Market();
        var two = Market();
        var minute = one.CurrentMinute + 200;

        _ = two.Snapshot("QQQ", minute - 100); // another symbol and an earlier minute asked first must not matter
        _ = two.Snapshot("SPY", minute - 50);
        var first = JsonSerializer.Serialize(one.Snapshot("SPY", minute));
        var second = JsonSerializer.Serialize(two.Snapshot("SPY", minute));
        var otherSeed = JsonSerializer.Serialize(Market(seed: 43).Snapshot("SPY", minute));

        Assert.That(second, Is.EqualTo(first));
        Assert.That(otherSeed, Is.Not.EqualTo(first));
    }

    [Test]
    public void AnEarlierMinute_AskedAfterThePrintMemoMovedOn_IsTheSameSnapshot()
    {
        // The print memo keeps only the recent window a snapshot reads; a minute it forgot is rebuilt from its own seed.
        var one = Market();
        var two = Market();
        var minute = one.CurrentMinute + 100;

        var direct = JsonSerializer.Serialize(one.Snapshot("SPY", minute));
        for (var later = minute + 1; later <= minute + 150; later++)
        {
            _ = two.Snapshot("SPY", later); // walks the memo well past the earlier minute's 30-minute window
        }

        var again = two.Snapshot("SPY", minute);

        Assert.That(again.Prints, Is.Not.Empty);
        Assert.That(JsonSerializer.Serialize(again), Is.EqualTo(direct));
    }

    [Test]
    public void Clock_RunsAtTheConfiguredAcceleration()
    {
        var time = new FakeTimeProvider(Start);
        var market = Market(acceleration: 60, time: time);
        var before = market.CurrentMinute;

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.That(market.CurrentMinute - before, Is.EqualTo(10), "one simulated minute per real second");
        Assert.That(market.Snapshot("SPY").AsOf, Is.EqualTo(market.TimeOf(market.CurrentMinute).AddSeconds(59)));
        Assert.That(market.StartDate, Is.EqualTo(new DateOnly(2026, 11, 24)));
    }

    [Test]
    public void Chains_PassValidation_AndLookLikeAListedMarket()
    {
        var market = Market();
        foreach (var minute in new[] { market.CurrentMinute, market.CurrentMinute + 389, market.CurrentMinute + 5000 })
        {
            var raw = market.Snapshot("SPY", minute);
            var clean = SnapshotValidator.Validate(raw);

            Assert.That(clean.Dropped, Is.Empty, $"minute {minute}");
            Assert.That(clean.Contracts, Has.Count.EqualTo(raw.Contracts.Count).And.Count.GreaterThan(1000));
            Assert.That(clean.Bars, Has.Count.EqualTo(30));
            var today = DateOnly.FromDateTime(raw.AsOf.UtcDateTime);
            var expiries = raw.Contracts.Select(c => c.Expiry).Distinct().Order().ToList();
            Assert.That(expiries[0], Is.EqualTo(today), "0DTE listed");
            Assert.That(expiries[^1].DayNumber - today.DayNumber, Is.InRange(54, 60));
            Assert.That(raw.Contracts.All(c => OccSymbol.Parse(c.OccSymbol) == new OccSymbol("SPY", c.Expiry, c.Right, c.Strike)));
        }
    }

    [Test]
    public void Chains_HaveSkewTermStructureAndOpenInterestOnRoundStrikes()
    {
        var market = Market();
        var snapshot = market.Snapshot("SPY");
        var spot = snapshot.Spot;
        var monthly = snapshot.Contracts.Where(c => (c.Expiry.DayNumber - DateOnly.FromDateTime(snapshot.AsOf.UtcDateTime).DayNumber) > 20).Min(c => c.Expiry);
        var chain = snapshot.Contracts.Where(c => c.Expiry == monthly).ToList();
        double Iv(OptionRight right, double strike) => chain.Where(c => c.Right == right).MinBy(c => Math.Abs(c.Strike - strike))!.ImpliedVol!.Value;

        var truth = market.GroundTruth("SPY");
        if (truth.Regime != MarketRegime.Squeeze)
        {
            Assert.That(Iv(OptionRight.Put, spot * 0.92), Is.GreaterThan(Iv(OptionRight.Call, spot * 1.08)), $"put skew in {truth.Regime}");
        }

        var round = chain.Where(c => c.Strike % 10 == 0 && Math.Abs(c.Strike - spot) < spot * 0.04).Average(c => c.OpenInterest);
        var other = chain.Where(c => c.Strike % 5 != 0 && Math.Abs(c.Strike - spot) < spot * 0.04).Average(c => c.OpenInterest);
        Assert.That(round, Is.GreaterThan(2 * other), "open interest concentrates on round strikes");
    }

    [Test]
    public void InformedFlow_SeenThroughPrintAggressors_LeadsTheNextReturns()
    {
        var market = Market(historyDays: 5);
        var signals = new List<double>();
        var forward = new List<double>();
        for (var minute = market.CurrentMinute; signals.Count < 300; minute += 15)
        {
            var snapshot = market.Snapshot("SPY", minute);
            var bullish = 0.0;
            var total = 0.0;
            foreach (var print in snapshot.Prints.Where(p => p.Time > snapshot.AsOf.AddMinutes(-15)))
            {
                var right = OccSymbol.Parse(print.Symbol).Right;
                var sign = (right == OptionRight.Call ? 1 : -1) * (print.Side == AggressorSide.Buy ? 1 : -1);
                bullish += sign;
                total += 1;
            }

            var later = market.GroundTruth("SPY", minute + 15).Spot;
            signals.Add(bullish / Math.Max(total, 1));
            forward.Add(Math.Log(later / snapshot.Spot));
        }

        var correlation = Correlation.Pearson(signals, forward);
        TestContext.Out.WriteLine($"print-imbalance vs 15-minute forward return: r = {correlation:F3} over {signals.Count}");
        Assert.That(correlation, Is.InRange(0.05, 0.6), "a slight, findable lead");
    }

    [Test]
    public void HeadlineTone_LeansTowardTheComingDrift_AndSnapshotsCarryThePlantedHeadlines()
    {
        var market = Market(historyDays: 5);
        var path = market.Path("IWM");
        var start = market.CurrentMinute;
        var spots = new Dictionary<long, double>();
        var events = new List<SimulatedMarket.NewsEvent>();
        for (var minute = start; minute < start + 40_000; minute++)
        {
            path.AdvanceTo(minute);
            spots[minute] = path.StateAt(minute).Spot;
            if (path.News.Count > 0 && path.News[^1].Minute == minute)
            {
                events.Add(path.News[^1]);
            }
        }

        var usable = events.Where(e => e.Minute + 60 < start + 40_000).ToList();
        var tones = usable.Select(e => e.Tone).ToList();
        var forward = usable.Select(e => Math.Log(spots[e.Minute + 60] / spots[e.Minute])).ToList();
        Assert.That(usable, Has.Count.GreaterThan(500));
        var correlation = Correlation.Pearson(tones, forward);
        TestContext.Out.WriteLine($"headline tone vs 60-minute forward return: r = {correlation:F3} over {tones.Count}");
        Assert.That(correlation, Is.InRange(0.03, 0.6));

        var end = start + 40_000 - 1;
        var truth = market.GroundTruth("IWM", end).Headlines.ToDictionary(h => h.NewsId, h => h.Tone);
        var snapshot = market.Snapshot("IWM", end);
        Assert.That(snapshot.News, Is.Not.Empty);
        Assert.That(snapshot.News.Select(n => n.Id), Is.SubsetOf(truth.Keys));
        Assert.That(snapshot.News.Select(n => n.Tickers.Single()), Is.All.EqualTo("IWM"));
    }
}
