using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers.Cboe;
using HuiHui.Modules.Ingestion.Providers.Tradier;
using HuiHui.Modules.Ingestion.Validation;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Benchmarks;

/// <summary>
/// Parse + validate a 5,000-contract chain, per provider format (target, issue 3: ≤ 5 ms).
/// Payloads are the provider samples' contracts repeated over 5,000 distinct strikes and expiries.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class IngestionBenchmarks
{
    private const int Contracts = 5000;
    private static readonly DateTimeOffset AsOf = new(2026, 11, 24, 21, 15, 0, TimeSpan.Zero);
    private byte[] cboe = [];
    private byte[] tradier = [];
    private UnderlyingQuote quote = null!;

    [GlobalSetup]
    public void Setup()
    {
        var samples = SamplesFolder();
        var cboeDocument = JsonNode.Parse(File.ReadAllText(Path.Combine(samples, "cboe_delayed_options.json")))!;
        var cboeTemplate = cboeDocument["data"]!["options"]![0]!;
        var cboeOptions = new JsonArray();
        var tradierDocument = JsonNode.Parse(File.ReadAllText(Path.Combine(samples, "tradier_chain.json")))!;
        var tradierTemplate = tradierDocument["options"]!["option"]![0]!;
        var tradierOptions = new JsonArray();
        for (var i = 0; i < Contracts; i++)
        {
            var expiry = new DateOnly(2026, 11, 27).AddDays(7 * (i % 10));
            var right = i % 2 == 0 ? OptionRight.Call : OptionRight.Put;
            var strike = 350 + i / 20;
            var occ = OccSymbol.Format("SPY", expiry, right, strike);

            var c = cboeTemplate.DeepClone();
            c["option"] = occ;
            cboeOptions.Add(c);

            var t = tradierTemplate.DeepClone();
            t["symbol"] = occ;
            t["strike"] = strike;
            t["option_type"] = right == OptionRight.Call ? "call" : "put";
            t["expiration_date"] = expiry.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            tradierOptions.Add(t);
        }

        cboeDocument["data"]!["options"] = cboeOptions;
        tradierDocument["options"]!["option"] = tradierOptions;
        cboe = System.Text.Encoding.UTF8.GetBytes(cboeDocument.ToJsonString());
        tradier = System.Text.Encoding.UTF8.GetBytes(tradierDocument.ToJsonString());
        quote = new UnderlyingQuote("SPY", 602.35, 602.34, 602.36, null, null, null, null, 0, AsOf);
        occs = [.. CboeParser.Parse(cboe, "SPY").Contracts.Select(c => c.OccSymbol)];
        Console.WriteLine($"// payloads: CBOE {cboe.Length / 1024} KB, Tradier {tradier.Length / 1024} KB, {Contracts} contracts each");
    }

    [Benchmark(Description = "CBOE 5,000 contracts: parse + validate")]
    public int Cboe() => SnapshotValidator.Validate(CboeParser.Parse(cboe, "SPY")).Contracts.Count;

    /// <summary>The JSON tokenizer alone over the CBOE payload: the floor any parser of it pays.</summary>
    [Benchmark(Description = "CBOE tokens only (floor)")]
    public int CboeTokens()
    {
        var reader = new System.Text.Json.Utf8JsonReader(cboe);
        var n = 0;
        while (reader.Read())
        {
            n++;
        }

        return n;
    }

    private string[] occs = [];

    [Benchmark(Description = "OCC parse x5000")]
    public int OccParse()
    {
        var n = 0;
        foreach (var occ in occs)
        {
            n += OccSymbol.TryParse(occ, out var parsed, out _) ? (int)parsed.Strike : 0;
        }

        return n;
    }

    [Benchmark(Description = "CBOE parse only")]
    public int CboeParse() => CboeParser.Parse(cboe, "SPY").Contracts.Count;

    [Benchmark(Description = "Tradier 5,000 contracts: parse + validate")]
    public int Tradier()
    {
        var (contracts, _) = TradierParser.ParseChain(tradier, "SPY", AsOf);
        return SnapshotValidator.Validate(new ChainSnapshot("SPY", AsOf, "tradier", quote, contracts, [], [], [], [])).Contracts.Count;
    }

    internal static string SamplesFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "HuiHui.Tests", "Ingestion", "Samples");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("HuiHui.Tests/Ingestion/Samples not found above " + AppContext.BaseDirectory);
    }
}
