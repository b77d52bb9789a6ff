using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Validation;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Tests.Ingestion;

public sealed class SnapshotValidatorTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 24, 20, 0, 0, TimeSpan.Zero);

    internal static OptionContract Contract(double strike = 600, double? bid = 5, double? ask = 5.2, double? iv = 0.16, DateOnly? expiry = null, string underlying = "SPY", long volume = 10, long oi = 100, OptionRight right = OptionRight.Call)
    {
        var date = expiry ?? new DateOnly(2026, 12, 18);
        var occ = strike > 0 ? OccSymbol.Format(underlying, date, right, strike) : $"{underlying}BAD{strike}";
        return new OptionContract(occ, underlying, date, strike, right, bid, ask, null, volume, oi, iv, null, AsOf);
    }

    private static ChainSnapshot Snapshot(IReadOnlyList<OptionContract> contracts, UnderlyingQuote? quote = null) =>
        new("SPY", AsOf, "test", quote ?? new UnderlyingQuote("SPY", 602.35, 602.34, 602.36, null, null, null, null, 1000, AsOf), contracts, [], [], [], []);

    [Test]
    public void Validate_DropsEachKindOfBadContract_AndCountsItsReason()
    {
        var good = Contract();
        var raw = Snapshot([
            good,
            good,                                               // duplicate
            Contract(strike: -5),                               // strike
            Contract(strike: 610, bid: 6, ask: 5),              // crossed
            Contract(strike: 611, iv: 7.5),                     // iv
            Contract(strike: 612, iv: 0),                       // iv
            Contract(strike: 613, expiry: new DateOnly(2026, 11, 20)), // expired
            Contract(strike: 614, underlying: "QQQ"),           // wrong chain
            Contract(strike: 615, bid: -0.05),                  // negative
            Contract(strike: 616, bid: double.NaN),             // not a number
            Contract(strike: 617, oi: -1),                      // negative size
            Contract(strike: 618, expiry: new DateOnly(2026, 11, 24)), // expires today: still valid (0DTE)
            Contract(strike: 619, bid: null, ask: 0.05),        // one-sided: valid
        ]);

        var clean = SnapshotValidator.Validate(raw);

        Assert.That(clean.Contracts.Select(c => c.Strike), Is.EqualTo(new[] { 600.0, 618, 619 }));
        Assert.That(clean.Dropped, Is.EquivalentTo(new[]
        {
            new DropCount("duplicate-contract", 1), new DropCount("strike-not-positive", 1), new DropCount("bid-above-ask", 1),
            new DropCount("iv-out-of-range", 2), new DropCount("expired", 1), new DropCount("underlying-mismatch", 1),
            new DropCount("negative-price", 2), new DropCount("negative-size", 1),
        }));
    }

    [Test]
    public void Validate_KeepsTheParsersDropCounts_AndAddsToThem()
    {
        var raw = Snapshot([Contract(strike: 0)]) with { Dropped = [new DropCount("strike-not-positive", 2), new DropCount("unparseable-record", 1)] };

        var clean = SnapshotValidator.Validate(raw);

        Assert.That(clean.Dropped, Is.EqualTo(new[] { new DropCount("strike-not-positive", 3), new DropCount("unparseable-record", 1) }));
    }

    [Test]
    public void Validate_RejectsTheWholeSnapshot_WhenTheSpotIsUnusable_NamingTheField()
    {
        var bad = Snapshot([Contract()], new UnderlyingQuote("SPY", 0, null, null, null, null, null, null, 0, AsOf));
        var wrong = Snapshot([Contract()], new UnderlyingQuote("QQQ", 500, null, null, null, null, null, null, 0, AsOf));

        Assert.That(() => SnapshotValidator.Validate(bad), Throws.TypeOf<ProviderPayloadException>().With.Message.Contains("quote.last"));
        Assert.That(() => SnapshotValidator.Validate(wrong), Throws.TypeOf<ProviderPayloadException>().With.Message.Contains("quote.symbol").And.Message.Contains("QQQ"));
    }

    [Test]
    public void Validate_DropsPrintsAndNewsMissingWhatTheyNeed()
    {
        var raw = Snapshot([]) with
        {
            Prints = [new TradePrint("SPY", 602, 100, AggressorSide.Buy, AsOf), new TradePrint("SPY", 0, 100, AggressorSide.Buy, AsOf), new TradePrint("SPY", 602, 0, AggressorSide.Sell, AsOf)],
            News = [new NewsItem("sim:1", "Stocks rise", null, "Wire", null, AsOf, ["SPY"]), new NewsItem("sim:2", " ", null, "Wire", null, AsOf, ["SPY"])],
        };

        var clean = SnapshotValidator.Validate(raw);

        Assert.That((clean.Prints.Count, clean.News.Count), Is.EqualTo((1, 1)));
        Assert.That(clean.Dropped, Is.EquivalentTo(new[] { new DropCount("print-invalid", 2), new DropCount("news-missing-field", 1) }));
    }
}
