using System.Net;
using HuiHui.Host.Pages;
using HuiHui.Modules.Experts.Alerts;
using HuiHui.Modules.Experts.Backtest;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Simulation;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace HuiHui.Tests.Browser;

/// <summary>
/// The hub in Debian's Chromium (Playwright .NET, never `playwright install`) against the real host on Kestrel
/// (127.0.0.1) with the simulated feed running. Screenshots of each page land in the test output folder.
/// </summary>
[NonParallelizable]
public sealed class HubBrowserTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    /// <summary>Allowance on top of "within two intervals" for a shared, noisy CI machine (render + fetch + paint).</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(4);

    private HuiHuiFactory factory = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private string baseUrl = "";
    private string screenshots = "";
    private readonly List<string> policyViolations = [];

    [OneTimeSetUp]
    public async Task StartHubAndBrowser()
    {
        await Testing.ResetStateAsync();
        factory = new HuiHuiFactory(Testing.ConnectionString, new Dictionary<string, string?>
        {
            ["HuiHui:Ingestion:Enabled"] = "true",
            ["HuiHui:Ingestion:Interval"] = Interval.ToString(),
            ["HuiHui:Experts:Compass:MinReadings"] = "2",
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        baseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await HubAccounts.EnsureUsersAsync(factory.Services);

        screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    [OneTimeTearDown]
    public async Task StopHubAndBrowser()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
    }

    [Test]
    public async Task Overview_FillsFromTheSimulatedFeed_AndALivePushChangesItWithinTwoIntervals()
    {
        var page = await LogInAsync(HubAccounts.AnalystEmail);

        await page.GotoAsync("/");
        var regime = page.Locator("tr[data-symbol='SPY'] td[data-field='regime']");
        await Expect(regime).Not.ToHaveTextAsync("–", new() { Timeout = 30_000 });
        await page.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'", null, new() { Timeout = 15_000 });
        var marketTime = await page.Locator("tr[data-symbol='SPY'] td[data-field='asof']").GetAttributeAsync("title");

        // The next cycle's push re-renders the grid with the new market time.
        var within = (2 * Interval) + Grace;
        await Expect(page.Locator("tr[data-symbol='SPY'] td[data-field='asof']")).Not.ToHaveAttributeAsync("title", marketTime!, new() { Timeout = (float)within.TotalMilliseconds });
        // The grid is only re-fetched by the push handler (no client timer), which stamps it; a push may land between
        // reading the market time and the count of pushes, so the proof is the stamp following a received push.
        var refreshedByPush = await page.EvaluateAsync<bool>(
            "() => { const at = Number(document.getElementById('overview-grid').dataset.refreshedAt || 0); return at > 0 && window.huihuiUpdates.some(u => u.at <= at); }");

        Assert.That(refreshedByPush, Is.True, "the change came by a SignalR push");
        Assert.That(await page.Locator("table[data-testid='overview-grid'] tbody tr").CountAsync(), Is.EqualTo(3));
        await ScreenshotAsync(page, "overview");
    }

    [Test]
    public async Task SymbolPage_DrawsTheGexChartWithSpotAndLevels()
    {
        var page = await LogInAsync(HubAccounts.AnalystEmail);
        await page.GotoAsync("/");
        await Expect(page.Locator("tr[data-symbol='SPY'] td[data-field='regime']")).Not.ToHaveTextAsync("–", new() { Timeout = 30_000 });

        await page.GotoAsync("/Symbol/SPY");
        await page.Locator("#gex-chart svg").WaitForAsync(new() { Timeout = 15_000 });

        // One snapshot per evaluation: a live push replaces the panels (and redraws the charts on the next frame)
        // between separate reads, so options and drawn paths are read together, until the drawing has caught up.
        var chart = await page.WaitForFunctionAsync(
            """
            () => {
              const gex = echarts.getInstanceByDom(document.getElementById('gex-chart'));
              const smile = echarts.getInstanceByDom(document.getElementById('smile-chart'));
              if (!gex || !smile) return null;
              const bars = gex.getOption().series[0].data.length;
              const drawn = document.querySelectorAll('#gex-chart svg path').length;
              if (drawn <= bars) return null;
              return { bars, drawn, levels: gex.getOption().series[0].markLine.data.map(l => l.name), smileSeries: smile.getOption().series.length };
            }
            """,
            null,
            new() { Timeout = 15_000 });
        var drawing = await chart.JsonValueAsync<ChartDrawing>();

        Assert.That(drawing.Bars, Is.GreaterThan(10), "strikes near spot");
        Assert.That(drawing.Drawn, Is.GreaterThan(drawing.Bars), "bars are drawn as SVG paths");
        Assert.That(drawing.Levels, Does.Contain("spot"));
        Assert.That(drawing.SmileSeries, Is.GreaterThan(0), "at least one expiry's smile");
        await Expect(page.Locator("[data-testid='meta-strategy']")).Not.ToBeEmptyAsync();
        await ScreenshotAsync(page, "symbol", fullPage: true);
    }

    [Test]
    public async Task SymbolModes_AreTabsKeptInTheUrl_ReachedByKeyboard_EachShowsItsPanels_AndSurviveALivePush()
    {
        var page = await LogInAsync(HubAccounts.AnalystEmail);
        await page.GotoAsync("/Symbol/SPY");
        await page.Locator("[data-testid='market-compass']").WaitForAsync(new() { Timeout = 30_000 });

        // Keyboard: from the selected tab, the arrow keys move along the tabs and Enter opens one.
        await page.Locator("#mode-main").FocusAsync();
        for (var i = 0; i < 3; i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
        }

        Assert.That(await page.EvaluateAsync<string>("() => document.activeElement.id"), Is.EqualTo("mode-structure"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#mode-structure")).ToHaveAttributeAsync("aria-selected", "true", new() { Timeout = 30_000 });
        Assert.That(new Uri(page.Url).Query, Is.EqualTo("?mode=structure"), "the mode is in the URL");
        await page.Locator("[data-testid='structure-panel'] #gex-chart svg").WaitForAsync(new() { Timeout = 15_000 });
        Assert.That(await page.Locator("[data-testid='market-compass']").CountAsync(), Is.Zero, "structure has no compass");

        // A live push re-renders the panels of the same mode (the refresh URL carries it).
        await page.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'", null, new() { Timeout = 15_000 });
        await page.WaitForFunctionAsync("() => Number(document.getElementById('symbol-panels').dataset.refreshedAt || 0) > 0", null,
            new() { Timeout = (float)((2 * Interval) + Grace).TotalMilliseconds });
        Assert.That(await PanelsAsync(page), Is.EqualTo(SymbolModes.Find("structure").Panels), "still the structure panels after the push");

        // Every mode: its own panels, nothing else, and a screenshot.
        foreach (var mode in SymbolModes.All)
        {
            await page.GotoAsync($"/Symbol/SPY?mode={mode.Key}");
            await page.Locator($"[data-panel='{mode.Panels[0]}']").WaitForAsync(new() { Timeout = 15_000 });
            Assert.That(await PanelsAsync(page), Is.EquivalentTo(mode.Panels), mode.Key);
            await Expect(page.Locator("[data-testid='mode-purpose']")).ToHaveTextAsync(mode.Purpose);
            await ScreenshotAsync(page, $"symbol-mode-{mode.Key}", fullPage: true);
        }

        await Expect(page.Locator("[data-testid='advanced-flow-panel'], [data-testid='time-decay-panel'], [data-testid='monitoring-panel']")).ToHaveCountAsync(0);
        await page.GotoAsync("/Symbol/SPY?mode=monitoring");
        await Expect(page.Locator("[data-testid='stage-timings'] td").First).Not.ToBeEmptyAsync();
        await page.GotoAsync("/Symbol/SPY?mode=sideways");
        await Expect(page.Locator("[data-testid='mode-problem']")).ToContainTextAsync("no mode 'sideways'");
        await Expect(page.Locator("#mode-main")).ToHaveAttributeAsync("aria-selected", "true");

        // The slice form keeps the mode.
        await page.GotoAsync("/Symbol/SPY?mode=time-decay");
        await page.Locator("[data-testid='slice-form'] button[type='submit']").ClickAsync();
        // Polls the URL: WaitForURL with Commit waits for a load state that never comes when the navigation committed first.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]dte="), new() { Timeout = 30_000 });
        await page.Locator("[data-testid='time-decay-panel']").WaitForAsync();
        Assert.That(new Uri(page.Url).Query, Does.Contain("mode=time-decay"), "the submitted slice kept the mode");
    }

    [Test]
    public async Task CompassRadar_DrawsTwelveScaledAxes_WithThePreviousGhosted_AsTheAnalysisSaysIt()
    {
        var page = await LogInAsync(HubAccounts.AnalystEmail);
        await page.GotoAsync("/Symbol/SPY?mode=ai-hub");
        await page.Locator("[data-testid='compass-radar']").WaitForAsync(new() { Timeout = 30_000 });
        await page.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'", null, new() { Timeout = 15_000 });

        // Two earlier readings are enough in this hub: wait until the table shows scaled values and a previous reading.
        await page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll(\"[data-testid='compass-axes'] tr[data-axis='GIB'] td\")].map(td => td.textContent.trim()).slice(3).every(t => t !== '–')",
            null, new() { Timeout = (float)((6 * Interval) + Grace).TotalMilliseconds, PollingInterval = 250 });
        await page.Locator("#compass-chart svg").WaitForAsync(new() { Timeout = 15_000 });
        var names = await page.Locator("[data-testid='compass-axes'] tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.axis)");
        Assert.That(names, Is.EqualTo(MarketCompass.Names));
        var series = await page.EvaluateAsync<int>("() => echarts.getInstanceByDom(document.getElementById('compass-chart')).getOption().series[0].data.length");
        Assert.That(series, Is.EqualTo(2), "now and the previous reading");

        // The table is the cached analysis' compass.
        var shown = await page.Locator("[data-testid='compass-axes'] tr[data-axis='GIB'] [data-testid='compass-scaled']").TextContentAsync();
        using (var scope = factory.Services.CreateScope())
        {
            var latest = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetLatestAnalysis("SPY"));
            var gib = latest!.Analysis.Compass!.Axes.Single(a => a.Name == "GIB");
            Assert.That(gib.Raw, Is.EqualTo(Math.Round(latest.Analysis.Metrics.Eots.Gib, 6)).Within(1e-6));
            Assert.That(gib.Scaled, Is.InRange(-1.0, 1.0));
            Assert.That(shown, Is.Not.Empty);
        }

        await ScreenshotAsync(page, "symbol-compass-radar", fullPage: true);
    }

    [Test]
    public async Task MarketAlerts_AnAnalystSubscribes_OnlyTheirKindsArePushedToTheirPage_AndHealthListsThem()
    {
        var page = await LogInAsync(HubAccounts.AnalystEmail);
        await page.GotoAsync("/Symbol/SPY?mode=flow");
        await page.Locator("[data-testid='alert-subscriptions'] summary").ClickAsync();
        await page.Locator($"[data-testid='alert-kind-{MarketAlertKinds.CallWall}']").CheckAsync();
        await page.Locator($"[data-testid='alert-kind-{MarketAlertKinds.IdeaTarget}']").CheckAsync();
        await page.Locator("[data-testid='alert-save']").ClickAsync();
        await Expect(page.Locator("[data-testid='alert-subscriptions'] summary")).ToContainTextAsync("2 of 6");
        Assert.That(new Uri(page.Url).Query, Is.EqualTo("?mode=flow"), "back in the same mode");
        await page.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'", null, new() { Timeout = 15_000 });

        using (var scope = factory.Services.CreateScope())
        {
            var watcher = scope.ServiceProvider.GetRequiredService<MarketAlertWatcher>();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            var at = new AlertReading("SPY", DateTimeOffset.UtcNow, 401.2, 400, 380, 390, "range");
            foreach (var candidate in new[]
            {
                new AlertCandidate(MarketAlertKinds.PutWall, "SPY broke below the put wall 380.00 (spot 379.80)", 380), // not subscribed
                new AlertCandidate(MarketAlertKinds.CallWall, "SPY broke above the call wall 400.00 (spot 401.20)", 400),
            })
            {
                await mediator.Publish(new MarketAlertRaised((await watcher.StoreAsync(at, candidate, CancellationToken.None))!));
            }
        }

        // The simulated market raises real alerts too (it crosses zero gamma, changes regime): look for these two.
        var pushed = page.Locator("[data-testid='market-alerts'] li", new() { HasText = "SPY broke above the call wall 400.00 (spot 401.20)" });
        await Expect(pushed).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        Assert.That(await pushed.GetAttributeAsync("data-kind"), Is.EqualTo(MarketAlertKinds.CallWall));
        Assert.That(await page.Locator($"[data-testid='market-alerts'] li[data-kind='{MarketAlertKinds.PutWall}']").CountAsync(), Is.Zero, "not subscribed to put walls");
        await ScreenshotAsync(page, "market-alert");

        var admin = await LogInAsync(HubAccounts.AdminEmail);
        await admin.GotoAsync("/Health");
        var listed = admin.Locator("[data-testid='health-market-alerts']");
        await Expect(listed).ToContainTextAsync("SPY broke below the put wall 380.00");
        await Expect(listed).ToContainTextAsync("SPY broke above the call wall 400.00");
        await ScreenshotAsync(admin, "health-market-alerts", fullPage: true);
        await admin.GotoAsync("/Symbol/SPY");
        await Expect(admin.Locator("[data-testid='alert-subscriptions'] summary")).ToContainTextAsync("none", new() { Timeout = 15_000 });
    }

    private static async Task<string[]> PanelsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#symbol-panels [data-panel]')].sort((a, b) => getComputedStyle(a).order - getComputedStyle(b).order).map(s => s.dataset.panel)");

    [Test]
    public async Task ControlPanel_ChangesTheInterval_AndTheUpdateCadenceFollows()
    {
        var page = await LogInAsync(HubAccounts.AdminEmail);
        try
        {
            await page.GotoAsync("/Admin/Control");
            await page.Locator("[data-testid='interval-input']").FillAsync("1");
            await page.Locator("[data-testid='interval-submit']").ClickAsync();
            await Expect(page.Locator("[data-testid='control-message']")).ToContainTextAsync("1 s");
            await ScreenshotAsync(page, "control-panel");

            await page.GotoAsync("/");
            await page.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'", null, new() { Timeout = 15_000 });
            await page.WaitForFunctionAsync("() => window.huihuiUpdates.filter(u => u.symbol === 'SPY').length >= 5", null, new() { Timeout = 20_000 });
            var times = await page.EvaluateAsync<double[]>("() => window.huihuiUpdates.filter(u => u.symbol === 'SPY').map(u => u.at)");
            var gaps = times.Zip(times.Skip(1), (a, b) => b - a).Order().ToArray();
            var median = gaps[gaps.Length / 2];

            // At the old 3 s interval the median gap would be about 3000 ms.
            Assert.That(median, Is.InRange(500, 2000), $"gaps between SPY pushes (ms): {string.Join(", ", gaps)}");
        }
        finally
        {
            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SetIngestionInterval(Interval));
        }
    }

    [Test]
    public async Task HistoryHealthAndJobs_RenderForAnAdmin_AndAnalystsAreKeptOutOfJobs()
    {
        var admin = await LogInAsync(HubAccounts.AdminEmail);
        await admin.GotoAsync("/");
        await Expect(admin.Locator("tr[data-symbol='SPY'] td[data-field='regime']")).Not.ToHaveTextAsync("–", new() { Timeout = 30_000 });

        await admin.GotoAsync("/History?Symbol=SPY");
        await Poller.UntilAsync(async () =>
        {
            await admin.ReloadAsync();
            return await admin.Locator("[data-testid='history-table'] tbody tr").CountAsync();
        }, rows => rows > 0, TimeSpan.FromSeconds(20), "stored responses on the history page");
        await ScreenshotAsync(admin, "history");

        await admin.GotoAsync("/Ideas");
        await Expect(admin.Locator("[data-testid='ideas-scorecard']")).ToBeVisibleAsync();
        await Expect(admin.Locator("[data-testid='ideas-open']")).ToBeVisibleAsync();
        // Open ideas are marked on every snapshot: the record refreshes itself when an analysis is pushed.
        await Expect(admin.Locator("[data-testid='ideas-record']")).ToHaveAttributeAsync("data-refreshed-at", new System.Text.RegularExpressions.Regex("^[0-9]+$"), new() { Timeout = 30_000 });
        await Expect(admin.Locator("[data-testid='ideas-scorecard']")).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "ideas", fullPage: true);

        await admin.GotoAsync("/Health");
        await Expect(admin.Locator("[data-testid='health-providers']")).ToContainTextAsync("simulated");
        await ScreenshotAsync(admin, "health", fullPage: true);

        await admin.GotoAsync("/Education");
        await Expect(admin.Locator("[data-testid='education-upload']")).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "education");
        await admin.GotoAsync("/Learning");
        await Expect(admin.Locator("[data-testid='learning-checkpoints']")).ToBeVisibleAsync();
        await Expect(admin.Locator("[data-testid='learning-idea-gate']")).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "learning");

        var jobs = await admin.GotoAsync("/hangfire");
        Assert.That(jobs!.Status, Is.EqualTo(200));
        await ScreenshotAsync(admin, "jobs");

        var analyst = await LogInAsync(HubAccounts.AnalystEmail);
        var refused = await analyst.GotoAsync("/hangfire");
        Assert.That(refused!.Status, Is.EqualTo(403));
        await Expect(analyst.Locator("[data-testid='status-403']")).ToBeVisibleAsync();
    }

    [Test]
    public async Task LearningPage_ShowsTheFirstRunFillsProgress_AndFollowsItToTheEnd()
    {
        var progress = factory.Services.GetRequiredService<HuiHui.Modules.Learning.Features.FirstRunProgress>();
        progress.Set("replaying", "replaying SPY: 2026-12-01 15:00 UTC", done: 120, total: 1170);
        var page = await LogInAsync(HubAccounts.AnalystEmail);
        await page.GotoAsync("/Learning");

        await Expect(page.Locator("[data-testid='first-run']")).ToHaveAttributeAsync("data-state", "replaying");
        await Expect(page.Locator("[data-testid='first-run-progress']")).ToHaveAttributeAsync("value", "120");
        await Expect(page.Locator("[data-testid='first-run-progress']")).ToHaveAttributeAsync("max", "1170");
        await ScreenshotAsync(page, "learning-first-run");

        // The panel follows the fill on the pushed analyses, without a reload.
        await page.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'", null, new() { Timeout = 15_000 });
        progress.Set("done", "1170 simulated analyses replayed, 1137 outcomes labelled, 3 expert scorecards; meta model 01a2483e active");
        await Expect(page.Locator("[data-testid='first-run']")).ToHaveAttributeAsync("data-state", "done", new() { Timeout = (float)((2 * Interval) + Grace).TotalMilliseconds });
        await Expect(page.Locator("[data-testid='first-run-summary']")).ToContainTextAsync("1137 outcomes labelled");
    }

    [Test]
    public async Task Scanner_ListsTheWatchList_SortsByAColumn_AndKeepsTheSortThroughALiveRefresh()
    {
        var page = await LogInAsync(HubAccounts.AnalystEmail);
        await page.GotoAsync("/Scanner");
        await Expect(page.Locator("[data-testid='scanner-grid'] tbody tr")).ToHaveCountAsync(3);
        const string gexValues = "() => [...document.querySelectorAll('[data-testid=scanner-grid] td[data-field=gex]')].map(td => td.dataset.value ? Number(td.dataset.value) : null)";
        await page.WaitForFunctionAsync($"() => ({gexValues})().every(v => v !== null)", null, new() { Timeout = 30_000 });

        var descending = await page.EvaluateAsync<double[]>(gexValues);
        await page.Locator("[data-testid='sort-gex']").ClickAsync();
        await Expect(page.Locator("[data-testid='scanner-grid']")).ToHaveAttributeAsync("data-desc", "false");
        var ascending = await page.EvaluateAsync<double[]>(gexValues);
        await page.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'", null, new() { Timeout = 15_000 });
        await Expect(page.Locator("#scanner")).ToHaveAttributeAsync("data-refreshed-at", new System.Text.RegularExpressions.Regex("^[0-9]+$"), new() { Timeout = 30_000 });

        Assert.That(descending, Is.Ordered.Descending, "GEX, largest first by default");
        Assert.That(ascending, Is.Ordered.Ascending);
        Assert.That(new Uri(page.Url).Query, Does.Contain("sort=gex").And.Contain("desc=False"));
        await Expect(page.Locator("[data-testid='scanner-grid']")).ToHaveAttributeAsync("data-desc", "false", new() { Timeout = 1_000 });
        Assert.That(await page.EvaluateAsync<double[]>(gexValues), Is.Ordered.Ascending, "the refreshed table keeps the sort");
        await Expect(page.Locator("tr[data-symbol='SPY'] td[data-field='regime']")).Not.ToHaveTextAsync("–");
        await ScreenshotAsync(page, "scanner");
    }

    [Test]
    public async Task FlowTape_FromTheSymbolPage_FiltersBySide_AndExportsTheSameAsCsv()
    {
        var page = await LogInAsync(HubAccounts.AnalystEmail);
        await page.GotoAsync("/Symbol/SPY");
        await page.Locator("[data-testid='tape-link']").ClickAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid='tape-grid'] tbody tr").First).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await page.Locator("select[name='Side']").SelectOptionAsync("Buy");
        await page.Locator("[data-testid='tape-filters'] button[type='submit']").ClickAsync();
        await Expect(page.Locator("[data-testid='tape-grid'] tbody tr").First).ToBeVisibleAsync();
        var sides = await page.Locator("[data-testid='tape-grid'] tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.side)");
        var premiums = await page.Locator("[data-testid='tape-grid'] tbody tr").EvaluateAllAsync<double[]>("rows => rows.map(r => Number(r.dataset.premium))");
        var csv = await page.APIRequest.GetAsync((await page.Locator("[data-testid='tape-csv']").GetAttributeAsync("href"))!);

        Assert.That(sides, Has.All.EqualTo("buy"));
        Assert.That(premiums, Is.Ordered.Descending, "largest premium first");
        Assert.That(csv.Status, Is.EqualTo(200));
        var lines = (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0].Trim(), Is.EqualTo("time,occ_symbol,expiry,strike,right,side,size,price,premium,block,sweep"));
        Assert.That(lines.Skip(1).Select(l => l.Split(',')[5]), Has.All.EqualTo("buy"));
        await ScreenshotAsync(page, "tape");
    }

    [Test]
    public async Task Heatmap_DrawsStrikeByExpiry_WithSpotMarked_AndTheMetricPickerChangesIt()
    {
        var page = await LogInAsync(HubAccounts.AnalystEmail);
        await page.GotoAsync("/Symbol/SPY");
        await page.Locator("[data-testid='heatmap-link']").ClickAsync(new() { Timeout = 30_000 });
        await page.Locator("#heatmap-chart svg").WaitForAsync(new() { Timeout = 30_000 });
        const string option = "() => { const c = echarts.getInstanceByDom(document.getElementById('heatmap-chart')); if (!c) return null; const o = c.getOption(); return { series: o.series[0].name, cells: o.series[0].data.length, strikes: o.xAxis[0].data.length, expiries: o.yAxis[0].data.length, spot: o.series[0].markLine?.data?.length ?? 0 }; }";
        var gamma = await page.EvaluateAsync<System.Text.Json.JsonElement>(option);

        await page.Locator("select[name='Kind']").SelectOptionAsync("Delta");
        await page.Locator("[data-testid='heatmap-filters'] button[type='submit']").ClickAsync();
        // The submit loads a new page: wait for it and for its chart, not for the old page's chart still on screen.
        await page.WaitForURLAsync(url => url.Contains("Kind=Delta", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await page.WaitForFunctionAsync("() => { const c = window.echarts && echarts.getInstanceByDom(document.getElementById('heatmap-chart')); return !!c && c.getOption().series.length > 0; }", null, new() { Timeout = 30_000 });
        var delta = await page.EvaluateAsync<System.Text.Json.JsonElement>(option);

        Assert.That(gamma.GetProperty("series").GetString(), Is.EqualTo("gamma exposure"));
        Assert.That(gamma.GetProperty("cells").GetInt32(), Is.EqualTo(gamma.GetProperty("strikes").GetInt32() * gamma.GetProperty("expiries").GetInt32()).And.GreaterThan(20));
        Assert.That(gamma.GetProperty("spot").GetInt32(), Is.EqualTo(1), "spot's strike marked");
        Assert.That(delta.GetProperty("series").GetString(), Is.EqualTo("delta exposure"));
        Assert.That(new Uri(page.Url).Query, Does.Contain("Kind=Delta"));
        await ScreenshotAsync(page, "heatmap");
    }

    [Test]
    public async Task EotsHeatmaps_AreInThePicker_AndTheSliderReplaysTheDaysArchivedChains()
    {
        var page = await LogInAsync(HubAccounts.AnalystEmail);
        await page.GotoAsync("/Symbol/SPY");
        await Expect(page.Locator("[data-testid='market-compass']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        using (var scope = factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ArchiveSpooledSnapshots());
        }

        await page.GotoAsync("/Heatmap/SPY?Kind=Ivsdh");
        await page.Locator("#heatmap-chart svg").WaitForAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid='heatmap-caption']")).ToContainTextAsync("vol points since the session's first archived chain");
        var frame = page.Locator("[data-testid='heatmap-frame']");
        var times = System.Text.Json.JsonSerializer.Deserialize<string[]>((await frame.GetAttributeAsync("data-times"))!)!;
        Assert.That(times, Is.Not.Empty, "the chain archived above");
        Assert.That(await frame.GetAttributeAsync("max"), Is.EqualTo(times.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await Expect(page.Locator("[data-testid='heatmap-frame-time']")).ToHaveTextAsync("live");

        // Keyboard: Home moves the slider to the first archived chain; the grid, the caption and the URL follow.
        await frame.FocusAsync();
        await page.Keyboard.PressAsync("Home");
        var first = DateTimeOffset.Parse(times[0], System.Globalization.CultureInfo.InvariantCulture);
        await Expect(page.Locator("[data-testid='heatmap-frame-time']")).ToHaveTextAsync($"{first.UtcDateTime:HH:mm} UTC");
        await page.WaitForFunctionAsync($"() => document.querySelector(\"[data-testid='heatmap-caption']\")?.dataset.asOf?.startsWith('{first.UtcDateTime:yyyy-MM-ddTHH:mm:ss}')", null, new() { Timeout = 15_000 });
        await page.Locator("#heatmap-chart svg").WaitForAsync();
        Assert.That(Uri.UnescapeDataString(new Uri(page.Url).Query), Does.Contain($"At={times[0]}"));
        var cells = await page.EvaluateAsync<double[]>("() => echarts.getInstanceByDom(document.getElementById('heatmap-chart')).getOption().series[0].data.map(c => c[2])");
        Assert.That(cells, Has.All.EqualTo(0.0), "the first chain measured against itself");

        // The other EOTS maps draw, and a page opened at a time shows that chain.
        foreach (var kind in new[] { "Sgdhp", "Ugch" })
        {
            await page.GotoAsync($"/Heatmap/SPY?Kind={kind}&At={Uri.EscapeDataString(times[0])}");
            await page.Locator("#heatmap-chart svg").WaitForAsync(new() { Timeout = 15_000 });
            Assert.That(await page.Locator("[data-testid='heatmap-caption']").GetAttributeAsync("data-as-of"), Does.StartWith(first.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(await frame.GetAttributeAsync("value"), Is.EqualTo("0"));
        }

        await page.Locator("[data-testid='heatmap-play']").ClickAsync();
        await Expect(page.Locator("[data-testid='heatmap-play']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Pause|Play"));
        await ScreenshotAsync(page, "heatmap-ugch-replay");
    }

    [Test]
    public async Task LevelsThroughTheDay_DrawTheStoredLevels_OverTheArchivedChainsNetGammaBand()
    {
        var page = await LogInAsync(HubAccounts.AnalystEmail);
        await page.GotoAsync("/Symbol/SPY");
        await Expect(page.Locator("[data-testid='market-compass']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        using (var scope = factory.Services.CreateScope())
        {
            // The first chain of the session is spooled at once; the archive job would move it within a minute, the test does it now.
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ArchiveSpooledSnapshots());
        }

        await page.Locator("[data-testid='levels-link']").ClickAsync(new() { Timeout = 30_000 });
        // The responses are written in batches: reload until the first ones are stored.
        var drawn = false;
        for (var attempt = 0; attempt < 20 && !drawn; attempt++)
        {
            drawn = await page.Locator("#levels-chart").CountAsync() > 0;
            if (!drawn)
            {
                await page.WaitForTimeoutAsync(1000);
                await page.ReloadAsync();
            }
        }

        await page.Locator("#levels-chart svg").WaitForAsync(new() { Timeout = 15_000 });
        var series = await page.EvaluateAsync<string[]>("() => echarts.getInstanceByDom(document.getElementById('levels-chart')).getOption().series.map(s => s.name)");
        var callWalls = await page.EvaluateAsync<int>("() => echarts.getInstanceByDom(document.getElementById('levels-chart')).getOption().series.find(s => s.name === 'call wall').data.filter(p => p[1] !== null).length");
        var band = await page.EvaluateAsync<int>("() => echarts.getInstanceByDom(document.getElementById('levels-chart')).getOption().series[0].data.length");
        var rectangles = await page.Locator("#levels-chart svg path").CountAsync();

        Assert.That(series, Is.EqualTo(new[] { "net gamma", "price", "zero gamma", "call wall", "put wall", "max pain", "hedge wall" }));
        Assert.That(callWalls, Is.GreaterThan(0), "the stored analyses' call walls");
        Assert.That(band, Is.GreaterThan(5), "strikes within 5 % of spot in the archived chain");
        Assert.That(rectangles, Is.GreaterThan(band), "the band is drawn");
        await Expect(page.Locator("[data-testid='levels-summary']")).Not.ToContainTextAsync("no chain archived");
        await ScreenshotAsync(page, "levels");
    }

    [Test]
    public async Task Backtests_AnAdminStartsOne_ThePageFollowsTheJobsPushes_AndAnalystsReadTheReport()
    {
        var admin = await LogInAsync(HubAccounts.AdminEmail);
        var start = factory.Services.GetRequiredService<SimulatedMarket>().StartDate;
        var from = new DateTimeOffset(TradingCalendar.AddWeekdays(start, -1).ToDateTime(new TimeOnly(14, 30)), TimeSpan.Zero);

        await admin.GotoAsync("/Backtests");
        await admin.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'", null, new() { Timeout = 15_000 });
        var form = admin.Locator("[data-testid='backtest-start']");
        await form.Locator("input[name='Symbols']").FillAsync("SPY");
        await form.Locator("input[name='Source']").FillAsync("simulated");
        await form.Locator("input[name='From']").FillAsync(from.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        await form.Locator("input[name='To']").FillAsync(from.AddHours(2).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        await form.Locator("input[name='Every']").FillAsync("5");
        await form.Locator("button[type='submit']").ClickAsync();
        await Expect(admin.Locator("[data-testid='backtests-message']")).ToContainTextAsync("queued");
        await Expect(admin.Locator("[data-testid='backtest-list'] tr[data-status='queued']")).ToHaveCountAsync(1);
        await admin.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'", null, new() { Timeout = 15_000 });

        // The Hangfire server is off in tests: run the queued job as it would. Its pushes refresh the open page.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var run = (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetBacktests(1))).Single();
            await factory.Services.GetRequiredService<BacktestJobs>().RunAsync(run.Id, CancellationToken.None);
        }

        await Expect(admin.Locator("[data-testid='backtest-report']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(admin.Locator("[data-testid='backtest-list'] tr[data-status='done'] td[data-field='snapshots']")).ToHaveTextAsync("24");
        await admin.Locator("#equity-chart svg").WaitForAsync(new() { Timeout = 15_000 });
        var rows = await admin.Locator("[data-testid='backtest-summary'] tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.row)");
        Assert.That(rows, Is.EqualTo(new[] { "ideas", "rulesOnly", "alwaysLong", "random" }));
        Assert.That(await admin.EvaluateAsync<bool>("() => window.huihuiUpdates.some(u => u.status === 'done')"), Is.True, "the end came by a push");
        await Expect(admin.Locator("[data-testid='backtest-strategy'] tbody tr").First).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "backtests", fullPage: true);

        // A second start while none runs is fine; analysts read the report but cannot start one.
        var analyst = await LogInAsync(HubAccounts.AnalystEmail);
        await analyst.GotoAsync("/Backtests");
        await Expect(analyst.Locator("[data-testid='backtest-report']")).ToBeVisibleAsync();
        await Expect(analyst.Locator("[data-testid='backtest-start']")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task Login_ShowsOnlyTheLoginPageToAnonymousUsers()
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/Symbol/SPY");

        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/Account/Login"));
        await Expect(page.Locator("[data-testid='health-strip']")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "login");
    }

    [TearDown]
    public void NoContentSecurityPolicyViolations()
    {
        lock (policyViolations)
        {
            var seen = policyViolations.ToList();
            policyViolations.Clear();
            Assert.That(seen, Is.Empty, "the pages must run within their Content-Security-Policy");
        }
    }

    private async Task<IPage> LogInAsync(string email)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                TestContext.Progress.WriteLine($"browser console {message.Type}: {message.Text}");
            }

            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (policyViolations)
                {
                    policyViolations.Add(message.Text);
                }
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                TestContext.Progress.WriteLine($"browser got {response.Status} for {response.Url}");
            }
        };
        page.RequestFailed += (_, request) => TestContext.Progress.WriteLine($"browser request failed: {request.Url} {request.Failure}");
        await page.GotoAsync("/Account/Login");
        await page.Locator("#Input_Email").FillAsync(email);
        await page.Locator("#Input_Password").FillAsync(HubAccounts.Password);
        await page.Locator("[data-testid='login-submit']").ClickAsync();
        await Expect(page.Locator("[data-testid='user-name']")).ToHaveTextAsync(email);
        return page;
    }

    private async Task ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        var path = Path.Combine(screenshots, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        TestContext.AddTestAttachment(path, name);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private sealed class ChartDrawing
    {
        public int Bars { get; set; }

        public int Drawn { get; set; }

        public string[] Levels { get; set; } = [];

        public int SmileSeries { get; set; }
    }
}
