using System.Text;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers.Cboe;
using HuiHui.Modules.Ingestion.Providers.Tradier;
using HuiHui.Modules.Ingestion.Validation;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Tests.Ingestion;

public sealed class ProviderParserTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 24, 21, 0, 0, TimeSpan.Zero);

    [Test]
    public void TradierChain_ReadsEveryContract_WithGreeksInPlainUnits()
    {
        var (contracts, unreadable) = TradierParser.ParseChain(Samples.Bytes("tradier_chain.json"), "SPY", AsOf);

        Assert.That((contracts.Count, unreadable), Is.EqualTo((12, 0)));
        var call = contracts[0];
        Assert.That(call with { Greeks = null }, Is.EqualTo(new OptionContract("SPY261218C00590000", "SPY", new DateOnly(2026, 12, 18), 590, OptionRight.Call,
            18.46, 18.52, 18.49, 1822, 8000, 0.165, null, DateTimeOffset.FromUnixTimeMilliseconds(1795459199000), BidSize: 40, AskSize: 35)));
        Assert.That(call.Greeks!.Delta, Is.EqualTo(0.716659));
        Assert.That(call.Greeks.Theta, Is.EqualTo(-0.225035 * 365).Within(1e-9), "theta per day → per year");
        Assert.That(call.Greeks.Vega, Is.EqualTo(52.2921).Within(1e-9), "vega per point → per 1.00");
        Assert.That(contracts.Count(c => c.Right == OptionRight.Put), Is.EqualTo(6));
        Assert.That(SnapshotValidatorTestsChecks.ValidDrops(contracts, "SPY", AsOf), Is.Empty);
    }

    [Test]
    public void TradierChain_AcceptsASingleObject_NullLists_AndNullNumbers()
    {
        var single = """{"options":{"option":{"symbol":"SPY261218P00600000","underlying":"SPY","strike":600.0,"option_type":"put","expiration_date":"2026-12-18","bid":null,"ask":9.5,"last":null,"volume":null,"open_interest":12,"greeks":null}}}""";
        var empty = """{"options":null}""";
        var emptyList = """{"options":{"option":null}}""";

        var (contracts, _) = TradierParser.ParseChain(Encoding.UTF8.GetBytes(single), "SPY", AsOf);

        Assert.That(contracts, Has.Count.EqualTo(1));
        Assert.That((contracts[0].Bid, contracts[0].Ask, contracts[0].Volume, contracts[0].Greeks, contracts[0].ImpliedVol), Is.EqualTo(((double?)null, (double?)9.5, 0L, (ProviderGreeks?)null, (double?)null)));
        Assert.That(TradierParser.ParseChain(Encoding.UTF8.GetBytes(empty), "SPY", AsOf).Contracts, Is.Empty);
        Assert.That(TradierParser.ParseChain(Encoding.UTF8.GetBytes(emptyList), "SPY", AsOf).Contracts, Is.Empty);
        Assert.That(TradierParser.ParseHistory("""{"history":null}"""u8, "SPY"), Is.Empty);
        Assert.That(TradierParser.ParseExpirations("""{"expirations":{"date":"2026-12-18"}}"""u8), Is.EqualTo(new[] { new DateOnly(2026, 12, 18) }));
        Assert.That(TradierParser.ParseQuotes("""{"quotes":{"quote":{"symbol":"SPY","last":602.35}}}"""u8, AsOf).Single().Last, Is.EqualTo(602.35));
    }

    [Test]
    public void TradierChain_CountsRecordsItCannotRead_AndKeepsTheRest()
    {
        var payload = """{"options":{"option":[{"symbol":"NOT-AN-OCC","strike":1},{"symbol":"SPY261218C00600000","underlying":"SPY","strike":600,"option_type":"call","bid":1,"ask":1.1}]}}""";

        var (contracts, unreadable) = TradierParser.ParseChain(Encoding.UTF8.GetBytes(payload), "SPY", AsOf);

        Assert.That((contracts.Single().OccSymbol, unreadable), Is.EqualTo(("SPY261218C00600000", 1)));
    }

    [Test]
    public void TradierOtherEndpoints_ReadTheSamples()
    {
        var quotes = TradierParser.ParseQuotes(Samples.Bytes("tradier_quotes.json"), AsOf);
        var expirations = TradierParser.ParseExpirations(Samples.Bytes("tradier_expirations.json"));
        var history = TradierParser.ParseHistory(Samples.Bytes("tradier_history.json"), "SPY");
        var minutes = TradierParser.ParseTimesales(Samples.Bytes("tradier_timesales.json"), "SPY");

        Assert.That(quotes.Select(q => (q.Symbol, q.Last)), Is.EqualTo(new[] { ("SPY", 602.35), ("QQQ", 521.7) }));
        Assert.That(quotes[0].PreviousClose, Is.EqualTo(605.45));
        Assert.That(expirations, Has.Count.EqualTo(6).And.Ordered);
        Assert.That(expirations[0], Is.EqualTo(new DateOnly(2026, 11, 24)));
        Assert.That(history, Is.Not.Empty.And.All.Matches<Bar>(SnapshotValidator.IsValid));
        Assert.That(history[0], Is.EqualTo(new Bar("SPY", Bar.Daily, new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), 590.0, 591.3, 588.9, 590.0, 50_000_000)));
        Assert.That(minutes, Is.Not.Empty.And.All.Matches<Bar>(SnapshotValidator.IsValid));
        Assert.That(minutes[0].Start, Is.EqualTo(new DateTimeOffset(2026, 11, 24, 14, 30, 0, TimeSpan.Zero)), "09:30 New York");
    }

    [Test]
    public void Cboe_ReadsQuoteAndChain_InNewYorkTime()
    {
        var snapshot = CboeParser.Parse(Samples.Bytes("cboe_delayed_options.json"), "SPY");

        Assert.That(snapshot.AsOf, Is.EqualTo(new DateTimeOffset(2026, 11, 24, 21, 15, 0, TimeSpan.Zero)), "16:15 EST");
        Assert.That((snapshot.Quote.Symbol, snapshot.Spot, snapshot.Quote.PreviousClose), Is.EqualTo(("SPY", 602.35, (double?)605.45)));
        Assert.That(snapshot.Contracts, Has.Count.EqualTo(12));
        var put = snapshot.Contracts[1];
        Assert.That((put.OccSymbol, put.Right, put.Strike, put.Expiry, put.Bid, put.ImpliedVol), Is.EqualTo(("SPY261218P00590000", OptionRight.Put, 590.0, new DateOnly(2026, 12, 18), (double?)4.56, (double?)0.165)));
        Assert.That(put.Greeks!.Theta, Is.EqualTo(-0.160547 * 365).Within(1e-9));
        Assert.That(SnapshotValidator.Validate(snapshot).Dropped, Is.Empty);
    }

    [Test]
    public void FastNumberPath_GivesExactlyWhatTheGeneralParserGives()
    {
        var random = new Random(11);
        var checkedCount = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var digits = random.Next(1, 16);
            var mantissa = random.NextInt64(0, (long)Math.Pow(10, digits));
            var scale = random.Next(0, digits + 1);
            var text = mantissa.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
            text = scale == 0 ? text : text.Insert(text.Length - scale, ".");
            text = random.Next(4) == 0 ? "-" + text : text;
            var bytes = Encoding.UTF8.GetBytes(text);

            Assert.That(HuiHui.Modules.Ingestion.Providers.ChainJsonReader.TryParseSimple(bytes, out var fast), Is.True, text);
            Assert.That(fast, Is.EqualTo(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture)), text);
            checkedCount++;
        }

        foreach (var unusual in new[] { "1e5", "1.5E-3", "1234567890123456", "-", "5.", "0.12345678901234567890123" })
        {
            Assert.That(HuiHui.Modules.Ingestion.Providers.ChainJsonReader.TryParseSimple(Encoding.UTF8.GetBytes(unusual), out _), Is.False, unusual);
        }

        Assert.That(checkedCount, Is.EqualTo(200_000));
    }

    [Test]
    public void Cboe_ReadsIndexSymbolsWithTheirUnderscore()
    {
        var payload = Samples.Text("cboe_delayed_options.json").Replace("\"symbol\": \"SPY\"", "\"symbol\": \"_SPY\"", StringComparison.Ordinal);

        Assert.That(CboeParser.Parse(Encoding.UTF8.GetBytes(payload), "SPY").Quote.Symbol, Is.EqualTo("SPY"));
    }

    [TestCase("""{"options":{"option":[{"symbol":"SPY261218C00590000","strike":"abc"}]}}""", "$.options.option[0].strike")]
    [TestCase("""{"options":{"option":[{"symbol":"SPY261218C00590000","strike":590""", "$.options.option[0].strike")]
    [TestCase("""null""", "$")]
    [TestCase("""<html>Bad gateway</html>""", "$")]
    public void TradierChain_RejectsMalformedPayloads_NamingWhere(string payload, string field)
    {
        var error = Assert.Throws<ProviderPayloadException>(() => TradierParser.ParseChain(Encoding.UTF8.GetBytes(payload), "SPY", AsOf))!;

        Assert.That(error.Field, Is.EqualTo(field));
        Assert.That(error.Message, Does.StartWith("tradier: "));
    }

    [Test]
    public void Cboe_RejectsAPayloadWithoutSpot_NamingTheField()
    {
        var payload = Samples.Text("cboe_delayed_options.json").Replace("\"current_price\": 602.35,", "", StringComparison.Ordinal);

        Assert.That(() => CboeParser.Parse(Encoding.UTF8.GetBytes(payload), "SPY"),
            Throws.TypeOf<ProviderPayloadException>().With.Property(nameof(ProviderPayloadException.Field)).EqualTo("data.current_price"));
    }
}

/// <summary>Invariants checked independently of the validator's own code.</summary>
internal static class SnapshotValidatorTestsChecks
{
    public static List<string> ValidDrops(IEnumerable<OptionContract> contracts, string symbol, DateTimeOffset asOf)
    {
        var problems = new List<string>();
        var today = DateOnly.FromDateTime(asOf.UtcDateTime);
        foreach (var c in contracts)
        {
            if (!(c.Strike > 0)) problems.Add($"{c.OccSymbol}: strike {c.Strike}");
            if (c.Bid is { } b && c.Ask is { } a && b > a) problems.Add($"{c.OccSymbol}: bid {b} > ask {a}");
            if (c.ImpliedVol is { } iv && !(iv > 0 && iv <= 5)) problems.Add($"{c.OccSymbol}: iv {iv}");
            if (c.Expiry < today) problems.Add($"{c.OccSymbol}: expired {c.Expiry}");
            if (c.Bid is < 0 || c.Ask is < 0 || c.Last is < 0) problems.Add($"{c.OccSymbol}: negative price");
            if (c.Bid is { } x && !double.IsFinite(x) || c.Ask is { } y && !double.IsFinite(y)) problems.Add($"{c.OccSymbol}: not finite");
            if (c.Volume < 0 || c.OpenInterest < 0) problems.Add($"{c.OccSymbol}: negative size");
            if (!string.Equals(c.Underlying, symbol, StringComparison.OrdinalIgnoreCase)) problems.Add($"{c.OccSymbol}: underlying {c.Underlying}");
        }

        return problems;
    }
}
