using HuiHui.Modules.Ingestion.Providers;
using HuiHui.Modules.Ingestion.Providers.Cboe;
using HuiHui.Modules.Ingestion.Providers.Tradier;
using HuiHui.Modules.Ingestion.Validation;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace HuiHui.Tests.Ingestion;

/// <summary>The HTTP providers against a fake provider on 127.0.0.1: real client, real resilience pipeline.</summary>
public sealed class ProviderHttpTests
{
    private FakeProviderServer server = null!;

    [SetUp]
    public async Task StartServer() => server = await FakeProviderServer.StartAsync();

    [TearDown]
    public async Task StopServer() => await server.DisposeAsync();

    internal static Dictionary<string, string?> Settings(Uri baseUrl) => new()
    {
        ["HuiHui:Ingestion:Tradier:BaseUrl"] = baseUrl.ToString(),
        ["HuiHui:Ingestion:Tradier:Token"] = "test-token",
        ["HuiHui:Ingestion:Tradier:MaxExpirations"] = "1",
        ["HuiHui:Ingestion:Cboe:BaseUrl"] = new Uri(baseUrl, "cboe/").ToString(),
        ["HuiHui:Ingestion:Http:MaxRetries"] = "3",
        ["HuiHui:Ingestion:Http:RetryBaseDelay"] = "00:00:00.020",
        ["HuiHui:Ingestion:Http:AttemptTimeout"] = "00:00:00.500",
        ["HuiHui:Ingestion:Http:TotalTimeout"] = "00:00:04",
        ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
        ["HuiHui:Ingestion:SpoolPath"] = CacheHarness.NewFolder(),
    };

    [Test]
    public async Task Tradier_BuildsASnapshotFromItsEndpoints_WithTheBearerToken()
    {
        server.Handler = FakeProviderServer.Tradier;
        await using var services = ModuleServices.BuildOnSystemClock(Settings(server.BaseUrl));

        var snapshot = SnapshotValidator.Validate(await services.Get<TradierProvider>().GetSnapshotAsync("spy", CancellationToken.None));

        Assert.That((snapshot.Symbol, snapshot.Spot, snapshot.Source), Is.EqualTo(("SPY", 602.35, "tradier")));
        Assert.That(snapshot.Contracts, Has.Count.EqualTo(12));
        Assert.That(snapshot.Bars, Is.Not.Empty);
        Assert.That(server.Requests.Select(r => r.Authorization).Distinct(), Is.EqualTo(new[] { "Bearer test-token" }));
        Assert.That(server.Count("/v1/markets/options/chains?symbol=SPY&expiration="), Is.EqualTo(1), "one chain (MaxExpirations is 1), asked for in upper case");
        Assert.That(server.Requests.Single(r => r.Path.Contains("/chains", StringComparison.Ordinal)).Path, Does.EndWith("&greeks=true"));
    }

    [Test]
    public async Task Unauthorized_FailsAtOnce_SayingToCheckTheToken()
    {
        server.Handler = context => { context.Response.StatusCode = 401; return Task.CompletedTask; };
        await using var services = ModuleServices.BuildOnSystemClock(Settings(server.BaseUrl));

        var error = Assert.ThrowsAsync<ProviderUnavailableException>(() => services.Get<TradierProvider>().GetSnapshotAsync("SPY", CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("HTTP 401").And.Contain("token"));
        Assert.That(server.Requests, Has.Count.EqualTo(1), "a 401 is not retried");
    }

    [Test]
    public async Task TooManyRequests_IsRetriedAfterTheRetryAfterDelay()
    {
        var refused = 0;
        server.Handler = async context =>
        {
            if (context.Request.Path.Value!.EndsWith("/quotes", StringComparison.Ordinal) && Interlocked.Increment(ref refused) == 1)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                return;
            }

            await FakeProviderServer.Tradier(context);
        };
        await using var services = ModuleServices.BuildOnSystemClock(Settings(server.BaseUrl));

        var snapshot = await services.Get<TradierProvider>().GetSnapshotAsync("SPY", CancellationToken.None);

        var quotes = server.Requests.Where(r => r.Path.Contains("/quotes", StringComparison.Ordinal)).ToList();
        Assert.That(quotes, Has.Count.EqualTo(2));
        Assert.That(quotes[1].At - quotes[0].At, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95)), "waited for Retry-After");
        Assert.That(snapshot.Contracts, Has.Count.EqualTo(12));
    }

    [Test]
    public async Task ServerErrors_AreRetriedWithBackoff_ThenReported()
    {
        server.Handler = context => { context.Response.StatusCode = 500; return Task.CompletedTask; };
        await using var services = ModuleServices.BuildOnSystemClock(Settings(server.BaseUrl));

        var error = Assert.ThrowsAsync<ProviderUnavailableException>(() => services.Get<CboeProvider>().GetSnapshotAsync("SPY", CancellationToken.None))!;

        Assert.That(error.Message, Does.StartWith("cboe: HTTP 500").And.Contain("/cboe/SPY.json"));
        Assert.That(server.Requests, Has.Count.EqualTo(4), "one try and three retries");
    }

    [Test]
    public async Task RepeatedFailures_OpenTheCircuit_SoLaterCallsFailFast()
    {
        server.Handler = context => { context.Response.StatusCode = 503; return Task.CompletedTask; };
        await using var services = ModuleServices.BuildOnSystemClock(Settings(server.BaseUrl));
        var provider = services.Get<CboeProvider>();
        var errors = new List<string>();

        for (var i = 0; i < 4; i++)
        {
            errors.Add(Assert.ThrowsAsync<ProviderUnavailableException>(() => provider.GetSnapshotAsync("SPY", CancellationToken.None))!.Message);
        }

        Assert.That(errors[^1], Does.Contain("circuit open"));
        Assert.That(server.Requests, Has.Count.LessThan(16), "the open circuit stops requests reaching the provider");
    }

    [Test]
    public async Task SlowProvider_TimesOut()
    {
        server.Handler = async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            await FakeProviderServer.Tradier(context);
        };
        var settings = Settings(server.BaseUrl);
        settings["HuiHui:Ingestion:Http:MaxRetries"] = "1";
        await using var services = ModuleServices.BuildOnSystemClock(settings);

        var error = Assert.ThrowsAsync<ProviderUnavailableException>(() => services.Get<CboeProvider>().GetSnapshotAsync("SPY", CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("timed out"));
    }

    [TestCase("{\"timestamp\": \"2026-11-24 16:15:00\", \"data\": {\"symbol\": \"SPY\", \"current_price\": 602.", "$.data.current_price")]
    [TestCase("<html><body>502 Bad Gateway</body></html>", "$")]
    [TestCase("{\"timestamp\": \"2026-11-24 16:15:00\", \"data\": {\"symbol\": \"SPY\", \"current_price\": \"high\"}}", "$.data.current_price")]
    public async Task TruncatedOrMalformedJson_IsRejectedWhole_NamingWhere(string body, string field)
    {
        server.Handler = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        };
        await using var services = ModuleServices.BuildOnSystemClock(Settings(server.BaseUrl));

        var error = Assert.ThrowsAsync<ProviderPayloadException>(() => services.Get<CboeProvider>().GetSnapshotAsync("SPY", CancellationToken.None))!;

        Assert.That(error.Field, Does.StartWith(field.TrimEnd('.')));
    }

    [Test]
    public async Task ConnectionCutMidBody_IsAProviderFailure()
    {
        server.Handler = async context =>
        {
            context.Response.ContentLength = 100_000;
            await context.Response.Body.WriteAsync(Samples.Bytes("cboe_delayed_options.json").AsMemory(0, 500));
            await context.Response.Body.FlushAsync();
            context.Abort();
        };
        var settings = Settings(server.BaseUrl);
        settings["HuiHui:Ingestion:Http:MaxRetries"] = "0";
        await using var services = ModuleServices.BuildOnSystemClock(settings);

        Assert.That(() => services.Get<CboeProvider>().GetSnapshotAsync("SPY", CancellationToken.None),
            Throws.TypeOf<ProviderUnavailableException>().With.Message.Contains("cut off").Or.Message.Contains("request failed"));
    }

    [Test]
    public async Task UsedUpRateLimit_WaitsForTheWindowToReopen()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(ModuleServices.Start);
        var reopens = time.GetUtcNow().AddSeconds(30);
        server.Handler = async context =>
        {
            context.Response.Headers["X-Ratelimit-Available"] = "0";
            context.Response.Headers["X-Ratelimit-Expiry"] = reopens.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            await FakeProviderServer.Tradier(context);
        };
        var settings = Settings(server.BaseUrl);
        settings["HuiHui:Ingestion:Tradier:MaxRateLimitWait"] = "00:01:00";
        await using var services = ModuleServices.Build(settings, time);
        var provider = services.Get<TradierProvider>();

        var bars = provider.GetDailyBarsAsync("SPY", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 24), CancellationToken.None);
        await bars;
        var second = provider.GetDailyBarsAsync("SPY", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 24), CancellationToken.None);
        await Task.Delay(200);
        Assert.That((second.IsCompleted, server.Requests.Count), Is.EqualTo((false, 1)), "holds the request while the window is used up");

        time.Advance(TimeSpan.FromSeconds(30));

        Assert.That(await second, Is.Not.Empty);
        Assert.That(services.Get<TradierRateLimit>().Current.Expiry, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(reopens.ToUnixTimeMilliseconds())));
    }

    [Test]
    public async Task RateLimitTooFarOff_FailsFastSoTheNextProviderCanAnswer()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(ModuleServices.Start);
        server.Handler = async context =>
        {
            context.Response.Headers["X-Ratelimit-Available"] = "0";
            context.Response.Headers["X-Ratelimit-Expiry"] = time.GetUtcNow().AddMinutes(5).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            await FakeProviderServer.Tradier(context);
        };
        await using var services = ModuleServices.Build(Settings(server.BaseUrl), time);
        var provider = services.Get<TradierProvider>();
        await provider.GetDailyBarsAsync("SPY", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 24), CancellationToken.None);

        Assert.That(() => provider.GetDailyBarsAsync("SPY", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 24), CancellationToken.None),
            Throws.TypeOf<ProviderUnavailableException>().With.Message.Contains("rate limit used up"));
    }
}
