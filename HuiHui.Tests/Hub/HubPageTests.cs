using System.Globalization;
using System.Net;
using CsvHelper;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Hub;

/// <summary>Every page through the real host: role rules, empty states, pages with data, the control panel, headers.</summary>
public sealed class HubPageTests : DatabaseTest
{
    private static readonly string[] AnalystPages = ["/", "/Symbol/SPY", "/Ideas", "/History", "/Health", "/Education", "/Learning"];
    private static readonly string[] AdminPages = ["/Admin/Control", "/hangfire"];
    private static readonly string[] AllPages = [.. AnalystPages, .. AdminPages];

    [SetUp]
    public Task CreateUsers() => HubAccounts.EnsureUsersAsync(Testing.Factory.Services);

    [TestCaseSource(nameof(AllPages))]
    public async Task Page_ForAnonymousUser_RedirectsToLogin(string page)
    {
        using var client = await HubAccounts.ClientAsync(Testing.Factory, null);

        using var response = await client.GetAsync(page);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.OriginalString, Does.Contain("/Account/Login?ReturnUrl=" + Uri.EscapeDataString(page)));
    }

    [TestCaseSource(nameof(AnalystPages))]
    public async Task AnalystPage_ForAnalyst_Renders(string page)
    {
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        using var response = await client.GetAsync(page);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("data-testid=\"health-strip\""));
    }

    [TestCaseSource(nameof(AdminPages))]
    public async Task AdminPage_ForAnalyst_IsForbidden(string page)
    {
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        using var response = await client.GetAsync(page);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCaseSource(nameof(AllPages))]
    public async Task Page_ForAdmin_Renders(string page)
    {
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AdminEmail);

        using var response = await client.GetAsync(page);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AnalysisHub_ForAnonymousScript_IsUnauthorized()
    {
        using var client = await HubAccounts.ClientAsync(Testing.Factory, null);

        using var response = await client.PostAsync("/hubs/analysis/negotiate?negotiateVersion=1", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Login_WithWrongPassword_SaysSoAndStaysAnonymous()
    {
        using var client = await HubAccounts.ClientAsync(Testing.Factory, null);

        using var login = await HubAccounts.PostLoginAsync(client, HubAccounts.AnalystEmail, "not-the-password");
        using var overview = await client.GetAsync("/");

        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await login.Content.ReadAsStringAsync(), Does.Contain("Wrong e-mail or password."));
        Assert.That(overview.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task Pages_WithNoDataYet_SayWhatToDo()
    {
        // The cache outlives the database reset: drop what earlier tests analysed.
        var cache = Testing.Factory.Services.GetRequiredService<IEnhancedCache>();
        foreach (var watched in (await Testing.SendAsync(new GetIngestionStatus())).WatchList)
        {
            await cache.RemoveByTagAsync(CacheTags.Symbol(watched));
        }

        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        var overview = await client.GetStringAsync("/");
        var symbol = await client.GetStringAsync("/Symbol/ZZZ");
        var history = await client.GetStringAsync("/History");
        var health = await client.GetStringAsync("/Health");

        // The test host runs no feed: the overview says so instead of promising data.
        Assert.That(overview, Does.Contain("data-testid=\"overview-waiting\"").And.Contain("ingestion loop is off"));
        Assert.That(symbol, Does.Contain("data-testid=\"symbol-empty\"").And.Contain("ZZZ is not on the watch-list"));
        Assert.That(history, Does.Contain("data-testid=\"history-empty\""));
        Assert.That(health, Does.Contain("No cycles recorded").And.Contain("No alerts"));
        Assert.That(health, Does.Contain("data-testid=\"health-process\"").And.Match(@"Resident <strong>\d+\.\d MiB</strong>: anonymous"),
            "the Health page shows what this process holds");
        Assert.That(System.Net.WebUtility.HtmlDecode(health), Does.Match(@"data-testid=""health-collector"">Collector: (server|workstation) GC[^<]* · conserve-memory (off|level \d)</p>"),
            "and the collector it runs with");
        foreach (var writer in new[] { "feature-vectors", "responses", "stats" })
        {
            Assert.That(health, Does.Contain($"data-writer=\"{writer}\""), $"the Health page lists the {writer} writer");
        }
    }

    [Test]
    public async Task Overview_WithEmptyWatchList_SaysToAddASymbol()
    {
        var before = await Testing.SendAsync(new GetIngestionStatus());
        await Testing.SendAsync(new SetWatchList([]));
        try
        {
            using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

            var overview = await client.GetStringAsync("/");

            Assert.That(overview, Does.Contain("data-testid=\"overview-empty\"").And.Contain("add a symbol"));
        }
        finally
        {
            await Testing.SendAsync(new SetWatchList(before.WatchList));
        }
    }

    [Test]
    public async Task Heatmap_WithAKindOrTimeThatIsNotOne_SaysWhichInsteadOfShowingGamma()
    {
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        var kind = await client.GetStringAsync("/Heatmap/SPY?Kind=Nope");
        var at = await client.GetStringAsync("/Heatmap/SPY?At=yesterday");

        Assert.That(kind, Does.Contain("data-testid=\"heatmap-problem\"").And.Contain("&#x27;Nope&#x27; is not a heatmap: use one of Gamma, Delta, Vanna, Charm, Sgdhp, Ivsdh, Ugch"));
        Assert.That(at, Does.Contain("&#x27;yesterday&#x27; is not a time"));
        Assert.That(kind, Does.Not.Contain("id=\"heatmap-chart\""));
    }

    [Test]
    public async Task Pages_AfterAnAnalysis_ShowItsPanelsAndHistory()
    {
        var analysis = await Testing.SendAsync(new AnalyzeSymbol("SPY", "simulated"));
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        var overview = await client.GetStringAsync("/?handler=Grid");
        var symbol = await client.GetStringAsync("/Symbol/spy");
        var panels = await client.GetStringAsync("/Symbol/SPY?handler=Panels");

        var row = overview[overview.IndexOf("data-symbol=\"SPY\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.That(overview, Does.Not.Contain("<html"), "the grid handler returns the grid alone");
        Assert.That(row, Does.Contain(analysis.Regime!.Regime.ToString()).And.Contain(analysis.Meta.Bias.ToString()).And.Contain(analysis.Spot.ToString("F2", CultureInfo.InvariantCulture)));
        Assert.That(symbol, Does.Contain("data-testid=\"market-compass\"").And.Contain(WebEncode(analysis.Meta.Strategy)));
        Assert.That(symbol, Does.Contain("id=\"symbol-charts\"").And.Contain("\"gex\":[["), "the GEX chart has bars to draw");
        Assert.That(panels, Does.Contain("data-testid=\"flow-panel\"").And.Not.Contain("<html"));
        Assert.That(panels, Does.Contain("data-testid=\"flow-origin\"").And.Contain("Flow from trade prints"), "the simulated market sends prints, and the panel says so");

        // The response writer stores the four responses in the background; the history page reads them back.
        await Poller.UntilAsync(
            () => Testing.SendAsync(new GetExpertHistory("SPY", null, DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddYears(5))),
            page => page.Rows.Count == 4, TimeSpan.FromSeconds(20), "the four responses stored");
        var from = analysis.AsOf.UtcDateTime.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        var to = analysis.AsOf.UtcDateTime.AddMinutes(2).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        var history = await client.GetStringAsync($"/History?Symbol=SPY&From={from}&To={to}");
        var metaOnly = await client.GetStringAsync($"/History?Symbol=SPY&Expert=meta&From={from}&To={to}");
        Assert.That(history, Does.Contain("data-testid=\"history-table\"").And.Contain("4 responses"));
        Assert.That(metaOnly, Does.Contain("1 responses").And.Contain(WebEncode(analysis.Meta.Strategy)));

        using var csv = await client.GetAsync($"/History?handler=Csv&Symbol=SPY&From={from}&To={to}");
        Assert.That(csv.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        using var reader = new CsvReader(new StringReader(await csv.Content.ReadAsStringAsync()), CultureInfo.InvariantCulture);
        var records = reader.GetRecords<dynamic>().Select(r => (IDictionary<string, object>)r).ToList();
        Assert.That(records.Select(r => r["expert"]), Is.EquivalentTo(ExpertIds.All));
        Assert.That(records.Select(r => r["cycle_id"]).Distinct(), Is.EqualTo(new[] { analysis.CycleId.ToString() }));
    }

    [Test]
    public async Task SymbolPage_ShowsTheArsenal_AndTheAnalystsSlice_KeptForTheLivePanels()
    {
        var analysis = await Testing.SendAsync(new AnalyzeSymbol("SPY", "simulated"));
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        var whole = await client.GetStringAsync("/Symbol/SPY?dte=&range=");
        var sliced = await client.GetStringAsync("/Symbol/SPY?dte=0-30&range=5");
        var panels = await client.GetStringAsync("/Symbol/SPY?handler=Panels");
        var empty = await client.GetStringAsync("/Symbol/SPY?dte=900-990&range=");
        var bad = await client.GetStringAsync("/Symbol/SPY?dte=soon&range=");
        await client.GetStringAsync("/Symbol/SPY?dte=0-30&range=5");
        using var elsewhere = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);
        var onAnotherBrowser = await elsewhere.GetStringAsync("/Symbol/SPY");
        await client.GetStringAsync("/Symbol/SPY?dte=&range=");
        using var afterClearing = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);
        var cleared = await afterClearing.GetStringAsync("/Symbol/SPY");

        Assert.That(whole, Does.Contain("data-testid=\"eots-panel\"").And.Contain("A-DAG").And.Contain("VRI 2.0").And.Contain("HP-EOD"));
        Assert.That(whole, Does.Contain("data-testid=\"ranked-levels\"").And.Contain("Hedge wall"));
        var top = analysis.Metrics.Levels[0];
        Assert.That(whole, Does.Contain($"<td>{top.Price.ToString("F2", CultureInfo.InvariantCulture)}</td><td>{top.Kind}</td>"));
        Assert.That(whole, Does.Contain("data-testid=\"regime-name\"").And.Contain(WebEncode(analysis.Regime!.Name!)));
        Assert.That(whole, Does.Contain("Computed on the whole chain"));
        if (analysis.Meta.Idea is { } idea)
        {
            Assert.That(whole, Does.Contain("data-testid=\"trade-idea\"").And.Contain("data-testid=\"idea-parameters\""));
            Assert.That(whole, Does.Contain($"<td class=\"num\">{idea.Legs[0].Strike.ToString("0.##", CultureInfo.InvariantCulture)}</td>"));
        }
        else
        {
            Assert.That(whole, Does.Contain("data-testid=\"no-idea\"").And.Contain(WebEncode(analysis.Meta.NoIdea!)));
        }
        Assert.That(sliced, Does.Contain(WebEncode("Computed on days to expiry 0–30, strikes within ±5 %")).And.Contain("your slice (saved with your account"));
        Assert.That(panels, Does.Contain(WebEncode("Computed on days to expiry 0–30")), "the live refresh keeps the user's slice");
        Assert.That(empty, Does.Contain("data-testid=\"slice-problem\"").And.Contain("no contract of SPY is inside the slice"));
        Assert.That(bad, Does.Contain("data-testid=\"slice-problem\"").And.Contain("days to expiry &#x27;soon&#x27;"));
        Assert.That(onAnotherBrowser, Does.Contain(WebEncode("Computed on days to expiry 0–30")), "the slice is the user's, not the browser's");
        Assert.That(cleared, Does.Contain("Computed on the whole chain"));
    }

    [Test]
    public async Task History_WithUnknownExpert_SaysWhatIsWrong()
    {
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        var page = await client.GetStringAsync("/History?Expert=oracle");
        using var csv = await client.GetAsync("/History?handler=Csv&Expert=oracle");

        Assert.That(page, Does.Contain("data-testid=\"history-problem\"").And.Contain("Expert"));
        Assert.That(csv.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await csv.Content.ReadAsStringAsync(), Does.Contain("regime, flow, sentiment, meta"));
    }

    [Test]
    public async Task ControlPanel_ChangesTheIntervalWithoutRestart_AndRefusesABadOneKeepingTheCurrent()
    {
        var before = await Testing.SendAsync(new GetIngestionStatus());
        try
        {
            using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AdminEmail);

            using var good = await PostAsync(client, "/Admin/Control?handler=Interval", new() { ["seconds"] = "7" });
            var afterGood = await Testing.SendAsync(new GetIngestionStatus());
            using var bad = await PostAsync(client, "/Admin/Control?handler=Interval", new() { ["seconds"] = "0" });
            var afterBad = await Testing.SendAsync(new GetIngestionStatus());

            Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(afterGood.Interval, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("between 1 second and 1 hour"));
            Assert.That(afterBad.Interval, Is.EqualTo(TimeSpan.FromSeconds(7)));
        }
        finally
        {
            await Testing.SendAsync(new SetIngestionInterval(before.Interval));
        }
    }

    [Test]
    public async Task ControlPanel_SetsWatchListAndProvider_AndNamesABadSymbol()
    {
        var before = await Testing.SendAsync(new GetIngestionStatus());
        try
        {
            using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AdminEmail);

            using var good = await PostAsync(client, "/Admin/Control?handler=WatchList", new() { ["symbols"] = "spy, AAPL msft" });
            using var provider = await PostAsync(client, "/Admin/Control?handler=Providers", new() { ["symbol"] = "AAPL", ["providers"] = "simulated" });
            var afterGood = await Testing.SendAsync(new GetIngestionStatus());
            using var bad = await PostAsync(client, "/Admin/Control?handler=WatchList", new() { ["symbols"] = "SPY, not/a/symbol" });
            var afterBad = await Testing.SendAsync(new GetIngestionStatus());

            Assert.That(afterGood.WatchList, Is.EqualTo(new[] { "SPY", "AAPL", "MSFT" }));
            Assert.That(afterGood.Symbols.Single(s => s.Symbol == "AAPL").Providers, Is.EqualTo(new[] { "simulated" }));
            Assert.That(provider.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("NOT/A/SYMBOL"));
            Assert.That(afterBad.WatchList, Is.EqualTo(new[] { "SPY", "AAPL", "MSFT" }));
        }
        finally
        {
            await Testing.SendAsync(new SetWatchList(before.WatchList));
            await Testing.SendAsync(new SetSymbolProviders("AAPL", []));
        }
    }

    [Test]
    public async Task ControlPanel_PostWithoutAntiforgeryToken_IsRefused()
    {
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AdminEmail);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["seconds"] = "5" });

        using var response = await client.PostAsync("/Admin/Control?handler=Interval", form);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task ControlPanel_AddsAnAnalyst_WhoCanLogInButNotAdminister()
    {
        using var admin = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AdminEmail);

        using var added = await PostAsync(admin, "/Admin/Control?handler=AddUser", new() { ["Email"] = "new.analyst@huihui.test", ["Password"] = HubAccounts.Password, ["Role"] = "Analyst" });
        using var analyst = await HubAccounts.ClientAsync(Testing.Factory, "new.analyst@huihui.test");
        using var overview = await analyst.GetAsync("/");
        using var control = await analyst.GetAsync("/Admin/Control");

        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(overview.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(control.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Responses_CarrySecurityHeaders_AndTheLoginCookieIsHttpOnlyAndStrict()
    {
        using var client = await HubAccounts.ClientAsync(Testing.Factory, null);

        using var login = await HubAccounts.PostLoginAsync(client, HubAccounts.AnalystEmail, HubAccounts.Password);

        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("huihui.auth=", StringComparison.Ordinal));
        Assert.That(cookie, Does.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase);
        Assert.That(login.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'self'").And.Contain("script-src 'self';"));
        Assert.That(login.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
        Assert.That(login.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
    }

    [Test]
    public async Task AlertSubscriptions_AreSavedFromTheSymbolPage_AndAnUnknownKindIsRefusedByName_KeepingWhatWasSaved()
    {
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);
        async Task<HttpResponseMessage> Save(params string[] kinds)
        {
            var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", await HubAccounts.AntiforgeryTokenAsync(client, "/Symbol/QQQ")) };
            fields.AddRange(kinds.Select(k => new KeyValuePair<string, string>("kinds", k)));
            using var form = new FormUrlEncodedContent(fields);
            return await client.PostAsync("/Symbol/QQQ?handler=Alerts&mode=flow", form);
        }

        using var good = await Save(MarketAlertKinds.Regime, MarketAlertKinds.PutWall);
        using var bad = await Save(MarketAlertKinds.Regime, "moon");
        var page = await client.GetStringAsync("/Symbol/QQQ");

        Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(good.Headers.Location!.ToString(), Is.EqualTo("/Symbol/QQQ?mode=flow"));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("'moon' is not an alert kind"));
        Assert.That(page, Does.Contain("Alerts on QQQ: 2 of 6"), "the refused form changed nothing");
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await HubAccounts.AntiforgeryTokenAsync(client, "/Admin/Control");
        using var form = new FormUrlEncodedContent(fields);
        return await client.PostAsync(url, form);
    }

    private static string WebEncode(string text) => System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text);
}
