using System.Text;
using System.Text.RegularExpressions;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers.Cboe;
using HuiHui.Modules.Ingestion.Providers.Tradier;
using HuiHui.Modules.Ingestion.Validation;

namespace HuiHui.Tests.Ingestion;

/// <summary>
/// Seeded random truncations and mutations of every sample: parsing either succeeds or throws
/// <see cref="ProviderPayloadException"/>, and whatever survives validation satisfies the invariants.
/// </summary>
public sealed partial class PayloadFuzzTests
{
    private const int CasesPerSample = 800;
    private static readonly DateTimeOffset AsOf = new(2026, 11, 24, 21, 0, 0, TimeSpan.Zero);
    private static readonly string[] WildNumbers = ["-1", "0", "1e308", "-0.0001", "99999999999", "\"NaN\"", "null", "\"12\"", "1.5e-320", "true"];
    private static readonly byte[] Noise = Encoding.ASCII.GetBytes("{}[]\":,-0123456789.eE nulltruefals\\");

    private static readonly Dictionary<string, Action<byte[]>> Parsers = new()
    {
        ["tradier_chain.json"] = payload =>
        {
            var (contracts, unreadable) = TradierParser.ParseChain(payload, "SPY", AsOf);
            var quote = new UnderlyingQuote("SPY", 602.35, null, null, null, null, null, null, 0, AsOf);
            CheckSnapshot(new ChainSnapshot("SPY", AsOf, "tradier", quote, contracts, [], [], [], unreadable > 0 ? [new DropCount("unparseable-record", unreadable)] : []));
        },
        ["cboe_delayed_options.json"] = payload =>
        {
            var snapshot = CboeParser.Parse(payload, "SPY");
            CheckSnapshot(snapshot);
        },
        ["tradier_quotes.json"] = payload => TradierParser.ParseQuotes(payload, AsOf),
        ["tradier_expirations.json"] = payload => TradierParser.ParseExpirations(payload),
        ["tradier_history.json"] = payload => CheckBars(TradierParser.ParseHistory(payload, "SPY")),
        ["tradier_timesales.json"] = payload => CheckBars(TradierParser.ParseTimesales(payload, "SPY")),
    };

    public static IEnumerable<string> SampleNames => Parsers.Keys;

    [TestCaseSource(nameof(SampleNames))]
    public void MutatedPayloads_NeverThrowUnhandled_AndNeverPassAnInvalidRecord(string sample)
    {
        var original = Samples.Bytes(sample);
        var random = new Random(20261124 + sample.Length);
        var (accepted, rejected) = (0, 0);
        for (var i = 0; i < CasesPerSample; i++)
        {
            var payload = Mutate(original, random);
            try
            {
                Parsers[sample](payload);
                accepted++;
            }
            catch (ProviderPayloadException error)
            {
                Assert.That(error.Field, Is.Not.Empty);
                rejected++;
            }
            catch (Exception error) when (error is not AssertionException)
            {
                Assert.Fail($"case {i}: {error.GetType().Name}: {error.Message}\n{Encoding.UTF8.GetString(payload)}");
            }
        }

        TestContext.Out.WriteLine($"{sample}: {accepted} accepted, {rejected} rejected as malformed");
        Assert.That(rejected, Is.GreaterThan(0), "the mutations must reach the error paths");
        Assert.That(accepted, Is.GreaterThan(0), "and the success paths");
    }

    private static void CheckSnapshot(ChainSnapshot raw)
    {
        ChainSnapshot clean;
        try
        {
            clean = SnapshotValidator.Validate(raw);
        }
        catch (ProviderPayloadException)
        {
            return; // rejected whole: nothing reaches the cache
        }

        Assert.That(SnapshotValidatorTestsChecks.ValidDrops(clean.Contracts, "SPY", clean.AsOf), Is.Empty);
        Assert.That(clean.Spot, Is.GreaterThan(0).And.LessThan(double.PositiveInfinity));
        Assert.That(clean.Contracts.Select(c => c.OccSymbol), Is.Unique);
    }

    private static void CheckBars(List<Bar> bars)
    {
        var valid = bars.Where(SnapshotValidator.IsValid).ToList();
        Assert.That(valid.All(b => b.Low <= b.Open && b.Low <= b.Close && b.High >= b.Open && b.High >= b.Close && b.Low > 0));
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var operations = random.Next(1, 4);
        for (var op = 0; op < operations && bytes.Count > 2; op++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes.RemoveRange(at, bytes.Count - at); // truncate
                    break;
                case 1:
                    bytes[at] = Noise[random.Next(Noise.Length)];
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 20), bytes.Count - at));
                    break;
                case 3:
                    var length = Math.Min(random.Next(1, 60), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default:
                    var text = Encoding.UTF8.GetString(bytes.ToArray());
                    var numbers = Number().Matches(text);
                    if (numbers.Count > 0)
                    {
                        var match = numbers[random.Next(numbers.Count)];
                        text = string.Concat(text.AsSpan(0, match.Index), ": " + WildNumbers[random.Next(WildNumbers.Length)], text.AsSpan(match.Index + match.Length));
                        bytes = [.. Encoding.UTF8.GetBytes(text)];
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    [GeneratedRegex(@":\s*-?\d+(\.\d+)?")]
    private static partial Regex Number();
}
