using System.Text.Json;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Pipeline;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Tests.Ingestion;

/// <summary>The contract stores its nullable fields unboxed; what a caller reads, compares and serialises must not change.</summary>
public sealed class OptionContractTests
{
    private static readonly DateTimeOffset Chicago = new(2026, 12, 4, 9, 31, 5, TimeSpan.FromHours(-6));

    private static OptionContract Full() => new("SPY261218C00590000", "SPY", new DateOnly(2026, 12, 18), 590, OptionRight.Call,
        1.25, 1.31, 1.28, 1200, 15_400, 0.1834, new ProviderGreeks(0.41, 0.021, -12.5, 0.33, 0.05), Chicago, PriceTick.Down, 35, 0);

    private static OptionContract Bare() => new("SPY261218P00580000", "SPY", new DateOnly(2026, 12, 18), 580, OptionRight.Put,
        null, null, null, 0, 0, null, new ProviderGreeks(null, null, null, null, null), DateTimeOffset.MinValue);

    [Test]
    public void EveryField_ReadsBackAsGiven()
    {
        var c = Full();

        Assert.Multiple(() =>
        {
            Assert.That((c.Bid, c.Ask, c.Last, c.ImpliedVol), Is.EqualTo(((double?)1.25, (double?)1.31, (double?)1.28, (double?)0.1834)));
            Assert.That((c.BidSize, c.AskSize), Is.EqualTo(((long?)35, (long?)0)), "a size of zero is a size, not a missing one");
            Assert.That((c.Right, c.Tick, c.Volume, c.OpenInterest), Is.EqualTo((OptionRight.Call, PriceTick.Down, 1200L, 15_400L)));
            Assert.That(c.UpdatedAt, Is.EqualTo(Chicago));
            Assert.That(c.UpdatedAt.Offset, Is.EqualTo(TimeSpan.FromHours(-6)), "the offset is kept, not only the instant");
            Assert.That(c.Greeks, Is.EqualTo(new ProviderGreeks(0.41, 0.021, -12.5, 0.33, 0.05)));
            Assert.That(c.Mid, Is.EqualTo(1.28).Within(1e-12));
        });
    }

    [Test]
    public void MissingValues_ReadBackAsNull()
    {
        var c = Bare();

        Assert.Multiple(() =>
        {
            Assert.That(new[] { c.Bid, c.Ask, c.Last, c.ImpliedVol, c.Mid }, Is.All.Null);
            Assert.That(new[] { c.BidSize, c.AskSize }, Is.All.Null);
            Assert.That(new[] { c.Greeks!.Delta, c.Greeks.Gamma, c.Greeks.Theta, c.Greeks.Vega, c.Greeks.Rho }, Is.All.Null);
            Assert.That(c.UpdatedAt, Is.EqualTo(DateTimeOffset.MinValue));
            Assert.That(c.Right, Is.EqualTo(OptionRight.Put));
        });
    }

    [Test]
    public void ANotANumberTheProviderSent_StaysNotANumber_AndIsNotReadAsMissing()
    {
        var c = Full() with { Bid = double.NaN, ImpliedVol = 0.0 / 0.0 };

        Assert.That(c.Bid, Is.Not.Null.And.NaN, "validation drops it as a bad price; it must not pass as a contract without a bid");
        Assert.That(c.ImpliedVol, Is.Not.Null.And.NaN);
        Assert.That(new ProviderGreeks(double.NaN, null, null, null, null).Delta, Is.NaN);
    }

    [Test]
    public void With_ChangesOnlyWhatItNames_AndEqualityComparesValues()
    {
        var c = Full();
        var later = c with { UpdatedAt = Chicago.AddMinutes(1).ToUniversalTime(), Bid = null, BidSize = null };

        Assert.Multiple(() =>
        {
            Assert.That(later.UpdatedAt, Is.EqualTo(Chicago.AddMinutes(1)));
            Assert.That(later.UpdatedAt.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That((later.Bid, later.BidSize), Is.EqualTo(((double?)null, (long?)null)));
            Assert.That((later.Ask, later.AskSize, later.Tick, later.Right), Is.EqualTo((c.Ask, c.AskSize, c.Tick, c.Right)));
            Assert.That(Full(), Is.EqualTo(c), "records built from the same values are equal");
            Assert.That(Full().GetHashCode(), Is.EqualTo(c.GetHashCode()));
            Assert.That(later, Is.Not.EqualTo(c));
            Assert.That(Full() with { Tick = PriceTick.Up }, Is.Not.EqualTo(c));
        });
    }

    [Test]
    public void TheCachesJson_RoundTripsTheContract_WithTheSameFieldsAsBefore()
    {
        var options = IngestionCacheJson.Default.ChainSnapshot.Options;
        foreach (var contract in new[] { Full(), Bare() })
        {
            var json = JsonSerializer.Serialize(contract, options);
            var back = JsonSerializer.Deserialize<OptionContract>(json, options);

            Assert.That(back, Is.EqualTo(contract), json);
            using var document = JsonDocument.Parse(json);
            var names = document.RootElement.EnumerateObject().Select(p => p.Name.ToLowerInvariant()).ToArray();
            Assert.That(names, Is.SupersetOf(new[] { "occsymbol", "bid", "ask", "last", "impliedvol", "updatedat", "tick", "bidsize", "asksize", "greeks" }));
            Assert.That(names.Where(n => !char.IsLetter(n[0])), Is.Empty, "no private storage field leaks into the JSON");
        }

        var bare = JsonSerializer.Serialize(Bare(), options);
        Assert.That(bare, Does.Not.Contain("NaN").And.Not.Contain("-9223372036854775808"), "a missing value is written as null (or left out), never as its sentinel");
    }

    [Test]
    public void AContract_TakesAHundredAndTwentyEightBytes_WhereThePlainRecordTookAHundredAndNinetyTwo()
    {
        const int Count = 1000;
        var kept = new OptionContract[Count];
        var template = Full();
        kept[0] = template with { };
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Count; i++)
        {
            kept[i] = template with { Volume = i };
        }

        var perContract = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Count;

        Assert.That(perContract, Is.LessThanOrEqualTo(128), "OptionContract is allocated ~1,150 times a second per simulated symbol (docs/performance.md)");
        Assert.That(kept[^1].Volume, Is.EqualTo(Count - 1));
    }
}
