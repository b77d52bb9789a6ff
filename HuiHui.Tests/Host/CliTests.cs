using System.Text.Json;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Host;

public sealed class CliTests
{
    [Test]
    public async Task Migrate_Json_PrintsWhatItApplied_ThenNothingTheSecondTime_AndAnAnalysisBeforeItSaysToMigrate()
    {
        var connectionString = await TestDatabase.CreateAsync("huihui_cli");
        try
        {
            var unmigrated = await CliProcess.RunAsync(connectionString, "analyze", "SPY");
            var first = await CliProcess.RunAsync(connectionString, "migrate", "--json");
            var second = await CliProcess.RunAsync(connectionString, "migrate", "--json");

            Assert.That(unmigrated.ExitCode, Is.EqualTo(1), unmigrated.StandardError);
            Assert.That(unmigrated.StandardError, Does.Contain("the database has not been migrated to this version (").And.Contain("run `huihui migrate`"),
                "an analysis on a database that never saw the migrations says what to do");
            Assert.That(first.ExitCode, Is.Zero, first.StandardError);
            var applied = JsonDocument.Parse(first.StandardOutput).RootElement;
            Assert.That(applied.GetProperty("applied").GetInt32(), Is.EqualTo(20));
            Assert.That(
                applied.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("module").GetString() == "experts").GetProperty("applied")[0].GetString(),
                Does.EndWith("_Initial"));
            Assert.That(second.ExitCode, Is.Zero, second.StandardError);
            Assert.That(JsonDocument.Parse(second.StandardOutput).RootElement.GetProperty("applied").GetInt32(), Is.Zero);
            Assert.That(first.StandardError + first.StandardOutput, Does.Not.Contain("fail:").And.Not.Contain("Failed executing"),
                "the first migration of a fresh database logs nothing alarming");
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Test]
    public async Task Migrate_WhenDatabaseIsUnreachable_FailsWithExitCode1AndSaysWhy()
    {
        var result = await CliProcess.RunAsync("Host=127.0.0.1;Port=1;Username=nobody;Database=nowhere;Timeout=2", "migrate", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("error").GetString(), Does.Contain("PostgreSQL is unreachable"));
    }

    [Test]
    public async Task Analyze_WithoutAConnectionString_NamesTheMissingSetting_WithoutAStackTrace()
    {
        var human = await CliProcess.RunAsync("", "analyze", "SPY", "--source", "simulated");
        var json = await CliProcess.RunAsync("", "analyze", "SPY", "--source", "simulated", "--json");

        Assert.That(human.ExitCode, Is.EqualTo(2), human.StandardError);
        Assert.That(human.StandardError, Does.Contain("error: configuration: ConnectionStrings:Postgres is not set. Set the ConnectionStrings__Postgres environment variable"));
        Assert.That(human.StandardError, Does.Not.Contain("   at "), "a setup problem, not a fault: no stack trace");
        Assert.That(json.ExitCode, Is.EqualTo(2), json.StandardError);
        Assert.That(JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("error").GetString(),
            Does.StartWith("configuration: ConnectionStrings:Postgres is not set."));
    }

    [Test]
    public async Task ClusterStatus_ListsTheRegisteredNodes_AndSaysWhenPostgreSqlIsUnreachable()
    {
        await Sql.ExecuteAsync("""
            INSERT INTO cluster.nodes (id, url, started_at, heartbeat_at, lease, watch_list) VALUES ('node-x', 'http://127.0.0.1:5081', now(), now(), '00:00:30', '{SPY,QQQ}');
            INSERT INTO cluster.leases (symbol, node_id, version, acquired_at, expires_at) VALUES ('SPY', 'node-x', 1, now(), now() + interval '30 seconds');
            """);
        try
        {
            var json = await CliProcess.RunAsync(Testing.ConnectionString, "cluster", "status", "--json");
            var text = await CliProcess.RunAsync(Testing.ConnectionString, "cluster", "status");
            var unreachable = await CliProcess.RunAsync("Host=127.0.0.1;Port=1;Username=nobody;Database=nowhere;Timeout=2", "cluster", "status", "--json");

            Assert.That(json.ExitCode, Is.Zero, json.StandardError);
            var root = JsonDocument.Parse(json.StandardOutput).RootElement;
            var node = root.GetProperty("nodes").EnumerateArray().Single();
            Assert.That((node.GetProperty("id").GetString(), node.GetProperty("url").GetString(), node.GetProperty("live").GetBoolean()), Is.EqualTo(("node-x", "http://127.0.0.1:5081", true)));
            Assert.That(node.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "SPY" }));
            Assert.That(node.TryGetProperty("lastHeartbeat", out _), Is.True);
            Assert.That(root.GetProperty("unleased").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "QQQ" }), "watched by a live node, held by none");
            Assert.That(text.StandardOutput, Does.Contain("node-x").And.Contain("live").And.Contain("held by no node right now: QQQ"));
            Assert.That(unreachable.ExitCode, Is.EqualTo(1));
            Assert.That(JsonDocument.Parse(unreachable.StandardOutput).RootElement.GetProperty("error").GetString(), Does.Contain("PostgreSQL is unreachable"));
        }
        finally
        {
            await Sql.ExecuteAsync("DELETE FROM cluster.leases; DELETE FROM cluster.nodes");
        }
    }

    [Test]
    public async Task UnknownVerb_PrintsUsageAndExitsWith2()
    {
        var human = await CliProcess.RunAsync(Testing.ConnectionString, "frobnicate");
        var json = await CliProcess.RunAsync(Testing.ConnectionString, "frobnicate", "--json");

        Assert.That(human.ExitCode, Is.EqualTo(2));
        Assert.That(human.StandardError, Does.Contain("unknown verb 'frobnicate'").And.Contain("Usage: huihui"));
        Assert.That(json.ExitCode, Is.EqualTo(2));
        Assert.That(JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("error").GetString(), Does.Contain("frobnicate"));
    }

    [Test]
    public async Task Backfill_FromTheSimulatedMarket_StoresHistoryOnce_AndSaysSoAsJson()
    {
        var connectionString = await TestDatabase.CreateAsync("huihui_cli");
        try
        {
            Assert.That((await CliProcess.RunAsync(connectionString, "migrate")).ExitCode, Is.Zero);

            var first = await CliProcess.RunAsync(connectionString, "backfill", "--symbols", "SPY,QQQ", "--days", "30", "--source", "simulated", "--json");
            var second = await CliProcess.RunAsync(connectionString, "backfill", "--symbols", "SPY,QQQ", "--days", "30", "--source", "simulated");

            Assert.That(first.ExitCode, Is.Zero, first.StandardError);
            var symbols = JsonDocument.Parse(first.StandardOutput).RootElement.GetProperty("symbols").EnumerateArray().ToList();
            Assert.That(symbols.Select(s => s.GetProperty("symbol").GetString()), Is.EqualTo(new[] { "SPY", "QQQ" }));
            Assert.That(symbols.Select(s => s.GetProperty("inserted").GetInt32()), Is.All.GreaterThan(15));
            Assert.That(second.ExitCode, Is.Zero, second.StandardError);
            Assert.That(second.StandardOutput, Does.Contain("SPY").And.Contain(": 0 new, 0 changed"));
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Test]
    public async Task Backfill_WithBadArguments_NamesThemAndExitsWith2()
    {
        var result = await CliProcess.RunAsync(Testing.ConnectionString, "backfill", "--symbols", "SPY,BAD SYMBOL!", "--days", "0", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.StandardError);
        var error = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("error").GetString();
        Assert.That(error, Does.Contain("BAD SYMBOL!").And.Contain("days must be between 1 and 3650"));
    }

    [Test]
    public async Task Price_Json_GivesPriceGreeksAndSolvedVolatility()
    {
        var byVol = await CliProcess.RunAsync(Testing.ConnectionString, "price", "--right", "call", "--spot", "49", "--strike", "50", "--years", "0.3846", "--rate", "0.05", "--vol", "0.2", "--json");
        var byPremium = await CliProcess.RunAsync(Testing.ConnectionString, "price", "--right", "call", "--spot", "49", "--strike", "50", "--years", "0.3846", "--rate", "0.05", "--premium", "2.4004610", "--json");

        Assert.That(byVol.ExitCode, Is.Zero, byVol.StandardError);
        var priced = JsonDocument.Parse(byVol.StandardOutput).RootElement;
        Assert.That(priced.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "price", "delta", "gamma", "vega", "theta", "rho", "vanna", "charm", "iv" }));
        Assert.That(priced.GetProperty("delta").GetDouble(), Is.EqualTo(0.522).Within(0.001));
        Assert.That(priced.GetProperty("theta").GetDouble(), Is.EqualTo(-4.31).Within(0.01), "per year");
        Assert.That(byPremium.ExitCode, Is.Zero, byPremium.StandardError);
        Assert.That(JsonDocument.Parse(byPremium.StandardOutput).RootElement.GetProperty("iv").GetDouble(), Is.EqualTo(0.2).Within(1e-6));
    }

    [Test]
    public async Task Price_WithoutASolution_OrWithBadInput_SaysWhy()
    {
        var impossible = await CliProcess.RunAsync(Testing.ConnectionString, "price", "--right", "put", "--spot", "100", "--strike", "100", "--years", "1", "--premium", "150");
        var bad = await CliProcess.RunAsync(Testing.ConnectionString, "price", "--right", "call", "--spot", "-1", "--strike", "100", "--years", "1", "--vol", "0.2", "--premium", "3", "--json");

        Assert.That(impossible.ExitCode, Is.EqualTo(1));
        Assert.That(impossible.StandardError, Does.Contain("no implied volatility").And.Contain("arbitrage bounds"));
        Assert.That(impossible.StandardError, Does.Not.Contain("   at "), "no stack trace for a refused request");
        Assert.That(bad.ExitCode, Is.EqualTo(2));
        Assert.That(JsonDocument.Parse(bad.StandardOutput).RootElement.GetProperty("error").GetString(), Does.Contain("Spot").And.Contain("exactly one of --vol or --premium"));
    }

    [Test]
    public async Task Analyze_Json_PrintsTheDocumentedShape_AndPersistsTheResponses()
    {
        var connectionString = await TestDatabase.CreateAsync("huihui_cli");
        try
        {
            Assert.That((await CliProcess.RunAsync(connectionString, "migrate")).ExitCode, Is.Zero);

            var result = await CliProcess.RunAsync(connectionString, "analyze", "SPY", "--source", "simulated", "--json");

            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            var root = JsonDocument.Parse(result.StandardOutput).RootElement;
            Assert.That(root.GetProperty("symbol").GetString(), Is.EqualTo("SPY"));
            Assert.That(root.GetProperty("spot").GetDouble(), Is.GreaterThan(0));
            var metrics = root.GetProperty("metrics");
            foreach (var name in new[] { "gexTotal", "zeroGamma", "callWall", "putWall", "maxPain", "pcrOi", "pcrVolume", "atmIv" })
            {
                Assert.That(metrics.TryGetProperty(name, out _), Is.True, name);
            }

            var strike = metrics.GetProperty("gexByStrike")[0];
            Assert.That(strike.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "strike", "callGex", "putGex", "netGex" }));
            Assert.That(root.GetProperty("experts").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "regime", "flow", "sentiment", "meta" }));
            Assert.That(root.GetProperty("experts").GetProperty("sentiment").ValueKind, Is.EqualTo(JsonValueKind.Object), "a one-shot analysis has every expert (the cold model read used to cost the sentiment expert its budget)");
            Assert.That(root.GetProperty("experts").GetProperty("meta").GetProperty("missingExperts").GetArrayLength(), Is.Zero);
            var meta = root.GetProperty("experts").GetProperty("meta");
            Assert.That(meta.GetProperty("bias").GetString(), Is.AnyOf("bullish", "bearish", "neutral"));
            if (meta.TryGetProperty("idea", out var idea) && idea.ValueKind == JsonValueKind.Object)
            {
                // A complete idea: legs from the chain, entry, stop or targets, risk, expiry.
                Assert.That(idea.GetProperty("legs").GetArrayLength(), Is.GreaterThan(0));
                Assert.That(idea.GetProperty("legs")[0].EnumerateObject().Select(p => p.Name), Is.SupersetOf(new[] { "occSymbol", "right", "strike", "expiry", "quantity", "side" }));
                Assert.That(idea.GetProperty("entry").GetProperty("mid").ValueKind, Is.EqualTo(JsonValueKind.Number));
                Assert.That(idea.GetProperty("atr").GetDouble(), Is.GreaterThan(0));
                Assert.That(idea.TryGetProperty("expiresAt", out _), Is.True);
            }
            else
            {
                Assert.That(meta.GetProperty("noIdea").GetString(), Is.Not.Empty, "no idea says why");
            }

            Assert.That(root.GetProperty("timingsMs").GetProperty("total").GetDouble(), Is.GreaterThan(0));

            await using var connection = new Npgsql.NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM moe_analysis.expert_responses", connection);
            Assert.That((long)(await count.ExecuteScalarAsync())!, Is.EqualTo(4), "one analysis of the fetched snapshot: regime, flow, sentiment, meta");
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Test]
    public async Task Ideas_Json_ListsTheIdeaAnAnalysisProposed_AndRefusesABadSymbol()
    {
        var connectionString = await TestDatabase.CreateAsync("huihui_cli");
        try
        {
            Assert.That((await CliProcess.RunAsync(connectionString, "migrate")).ExitCode, Is.Zero);
            var analysis = await CliProcess.RunAsync(connectionString, "analyze", "SPY", "--source", "simulated", "--json");
            Assert.That(analysis.ExitCode, Is.Zero, analysis.StandardError);
            var meta = JsonDocument.Parse(analysis.StandardOutput).RootElement.GetProperty("experts").GetProperty("meta");
            var proposed = meta.TryGetProperty("idea", out var idea) && idea.ValueKind == JsonValueKind.Object;

            var result = await CliProcess.RunAsync(connectionString, "ideas", "SPY", "--json");
            var text = await CliProcess.RunAsync(connectionString, "ideas");
            var bad = await CliProcess.RunAsync(connectionString, "ideas", "THIS-IS-NOT-A-SYMBOL-AT-ALL");

            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            var record = JsonDocument.Parse(result.StandardOutput).RootElement;
            Assert.That(record.GetProperty("open").GetArrayLength(), Is.EqualTo(proposed ? 1 : 0));
            if (proposed)
            {
                Assert.That(record.GetProperty("open")[0].GetProperty("idea").GetProperty("strategy").GetString(), Is.EqualTo(idea.GetProperty("strategy").GetString()));
            }

            Assert.That(record.GetProperty("overall").GetProperty("trades").GetInt32(), Is.Zero, "nothing has closed after one snapshot");
            Assert.That(text.ExitCode, Is.Zero, text.StandardError);
            Assert.That(text.StandardOutput, Does.Contain($"open ({(proposed ? 1 : 0)})"));
            Assert.That(bad.ExitCode, Is.EqualTo(2));
            Assert.That(bad.StandardError, Does.Contain("Symbol"));
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Test]
    public async Task Analyze_OnASlice_CarriesTheArsenalAndRankedLevels_AndAConfiguredRuleNamesTheRegime()
    {
        var always = new Dictionary<string, string>
        {
            ["HuiHui__Regimes__Rules__11__Name"] = "Always",
            ["HuiHui__Regimes__Rules__11__Priority"] = "1000",
            ["HuiHui__Regimes__Rules__11__When__0__Metric"] = "spot",
            ["HuiHui__Regimes__Rules__11__When__0__Op"] = "gt",
            ["HuiHui__Regimes__Rules__11__When__0__Value"] = "0",
        };

        var result = await CliProcess.RunAsync(Testing.ConnectionString, always, "analyze", "SPY", "--source", "simulated", "--dte", "0-30", "--strike-range", "5", "--json");

        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
        var root = JsonDocument.Parse(result.StandardOutput).RootElement;
        var metrics = root.GetProperty("metrics");
        var spot = root.GetProperty("spot").GetDouble();
        Assert.That(metrics.GetProperty("slice").GetProperty("description").GetString(), Does.StartWith("days to expiry 0–30, strikes within ±5 %"));
        Assert.That(metrics.GetProperty("slice").GetProperty("outOfSlice").GetInt32(), Is.Positive);
        Assert.That(metrics.GetProperty("gexByStrike").EnumerateArray().Select(s => s.GetProperty("strike").GetDouble()), Is.All.InRange(spot * 0.95, spot * 1.05));
        var eots = metrics.GetProperty("eots");
        foreach (var name in new[] { "aDag", "eSdag", "dTdpi", "vri2", "gib", "hpEod", "zeroDte" })
        {
            Assert.That(eots.TryGetProperty(name, out _), Is.True, name);
        }

        var exposures = metrics.GetProperty("exposures");
        Assert.That(exposures.GetProperty("byStrike")[0].GetProperty("byVolume").TryGetProperty("gex", out _), Is.True);
        Assert.That(exposures.GetProperty("byExpiry").GetArrayLength(), Is.Positive);
        var levels = metrics.GetProperty("levels").EnumerateArray().ToList();
        Assert.That(levels, Is.Not.Empty);
        Assert.That(levels.Select(l => l.GetProperty("conviction").GetDouble()), Is.Ordered.Descending.And.All.InRange(0.0, 1.0));
        Assert.That(levels.All(l => l.GetProperty("kind").GetString() == (l.GetProperty("price").GetDouble() < spot ? "support" : "resistance")));
        Assert.That(metrics.GetProperty("keyLevels").TryGetProperty("hedgeWall", out _), Is.True);
        var regime = root.GetProperty("experts").GetProperty("regime");
        Assert.That(regime.GetProperty("name").GetString(), Is.EqualTo("Always"));
        Assert.That(regime.GetProperty("ruleEvidence")[0].GetString(), Does.StartWith("spot "));
    }

    [Test]
    public async Task Analyze_WithABadSliceOrABadRegimeRule_ExitsWith2_NamingIt()
    {
        var badRule = new Dictionary<string, string> { ["HuiHui__Regimes__Rules__2__When__0__Metric"] = "vapi" };

        var slice = await CliProcess.RunAsync(Testing.ConnectionString, "analyze", "SPY", "--source", "simulated", "--dte", "5-0");
        var rule = await CliProcess.RunAsync(Testing.ConnectionString, badRule, "analyze", "SPY", "--source", "simulated", "--json");

        Assert.That(slice.ExitCode, Is.EqualTo(2));
        Assert.That(slice.StandardError, Does.Contain("days to expiry 5–0: the minimum is above the maximum"));
        Assert.That(rule.ExitCode, Is.EqualTo(2), rule.StandardError);
        Assert.That(JsonDocument.Parse(rule.StandardOutput).RootElement.GetProperty("error").GetString(),
            Does.Contain("HuiHui:Regimes:Rules:2 ('High VAPI-FA bullish momentum') When:0:Metric 'vapi' is not a metric"));
    }

    [Test]
    public async Task Analyze_WithNothingToAnalyse_SaysWhy()
    {
        var folder = Path.Combine(Cache.CacheHarness.NewFolder(), "empty-chain");
        Directory.CreateDirectory(folder);
        var cboe = JsonDocument.Parse(File.ReadAllText(Path.Combine(Ingestion.Samples.Folder, "cboe_delayed_options.json"))).RootElement.GetRawText();
        var empty = System.Text.RegularExpressions.Regex.Replace(cboe, @"""options"":\s*\[.*\]", @"""options"": []", System.Text.RegularExpressions.RegexOptions.Singleline);
        File.WriteAllText(Path.Combine(folder, "spy.json"), empty);

        var missing = await CliProcess.RunAsync(Testing.ConnectionString, "analyze", "SPY", "--source", "file:/nonexistent/huihui");
        var emptyChain = await CliProcess.RunAsync(Testing.ConnectionString, "analyze", "SPY", "--source", "file:" + folder, "--json");
        var bad = await CliProcess.RunAsync(Testing.ConnectionString, "analyze", "NOT A SYMBOL");

        Assert.That(missing.ExitCode, Is.EqualTo(1));
        Assert.That(missing.StandardError, Does.Contain("does not exist"));
        Assert.That(emptyChain.ExitCode, Is.EqualTo(1));
        Assert.That(JsonDocument.Parse(emptyChain.StandardOutput).RootElement.GetProperty("error").GetString(), Does.Contain("no valid option contracts"));
        Assert.That(bad.ExitCode, Is.EqualTo(2));
        Assert.That(bad.StandardError, Does.Contain("not a ticker symbol"));
    }

    [Test]
    public async Task IngestDocsAndSearch_PrintPerFileOutcomes_AndPassages()
    {
        var connectionString = await TestDatabase.CreateAsync("huihui_cli");
        try
        {
            Assert.That((await CliProcess.RunAsync(connectionString, "migrate")).ExitCode, Is.Zero);
            var corpus = Education.StarterCorpusRecallTests.CorpusFolder();

            var ingest = await CliProcess.RunAsync(connectionString, "ingest-docs", corpus, "/nonexistent/file.md", "--json");
            var again = await CliProcess.RunAsync(connectionString, "ingest-docs", corpus);
            var search = await CliProcess.RunAsync(connectionString, "search", "where dealer gamma changes sign", "--k", "2", "--json");

            Assert.That(ingest.ExitCode, Is.Zero, ingest.StandardError);
            var files = JsonDocument.Parse(ingest.StandardOutput).RootElement.GetProperty("files").EnumerateArray().ToList();
            Assert.That(files.Count(f => f.GetProperty("outcome").GetString() == "added"), Is.EqualTo(4));
            Assert.That(files.Single(f => f.GetProperty("outcome").GetString() == "skipped").GetProperty("reason").GetString(), Is.EqualTo("no such file or folder"));
            Assert.That(again.StandardOutput, Does.Contain("0 added, 0 replaced, 4 unchanged, 0 skipped."));
            Assert.That(search.ExitCode, Is.Zero, search.StandardError);
            var passages = JsonDocument.Parse(search.StandardOutput).RootElement.GetProperty("passages").EnumerateArray().ToList();
            Assert.That(passages, Has.Count.EqualTo(2));
            Assert.That(passages[0].GetProperty("location").GetString(), Does.Contain("Zero gamma"));
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }
}
