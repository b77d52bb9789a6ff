using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Tests.Ingestion;

public sealed class OccSymbolTests
{
    [TestCase("SPY240621C00500000", "SPY", 2024, 6, 21, OptionRight.Call, 500.0)]
    [TestCase("SPXW261124P05850000", "SPXW", 2026, 11, 24, OptionRight.Put, 5850.0)]
    [TestCase("F270115C00012500", "F", 2027, 1, 15, OptionRight.Call, 12.5)]
    [TestCase("BRKB261218P00455500", "BRKB", 2026, 12, 18, OptionRight.Put, 455.5)]
    public void Parse_ReadsEveryPart_AndFormatGivesTheSameText(string text, string root, int year, int month, int day, OptionRight right, double strike)
    {
        var symbol = OccSymbol.Parse(text);

        Assert.That(symbol, Is.EqualTo(new OccSymbol(root, new DateOnly(year, month, day), right, strike)));
        Assert.That(symbol.ToString(), Is.EqualTo(text));
    }

    [Test]
    public void FormatThenParse_RoundTripsRandomContracts()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var root = new string(Enumerable.Range(0, random.Next(1, 7)).Select(_ => (char)('A' + random.Next(26))).ToArray());
            var expiry = new DateOnly(2000, 1, 1).AddDays(random.Next(0, 36500));
            var right = random.Next(2) == 0 ? OptionRight.Call : OptionRight.Put;
            var strike = random.Next(1, 9_999_999) / 1000.0;

            var text = OccSymbol.Format(root, expiry, right, strike);

            Assert.That(OccSymbol.Parse(text), Is.EqualTo(new OccSymbol(root, expiry, right, strike)), text);
        }
    }

    [TestCase("", "must be a root")]
    [TestCase("SPY240621C0050000", "invalid expiry")]
    [TestCase("SPY240621C005000000000", "must be a root")]
    [TestCase("SPY241321C00500000", "invalid expiry '241321'")]
    [TestCase("SPY240621X00500000", "right 'X'")]
    [TestCase("SPY240621C00A00000", "invalid strike")]
    [TestCase("SPY240621C00000000", "invalid strike")]
    [TestCase("S-Y240621C00500000", "no valid root")]
    public void Parse_RejectsMalformedText_NamingThePart(string text, string expected)
    {
        Assert.That(OccSymbol.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(expected));
        Assert.That(() => OccSymbol.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains(expected));
    }
}
