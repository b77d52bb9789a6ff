using System.Text.Json;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Monitoring.Features;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using HuiHui.Tests.Ingestion;
using Mediator;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Experts;

/// <summary>The optional LLM narrative against a fake OpenAI-compatible (Ollama-style) server on 127.0.0.1.</summary>
public sealed class LlmNarrativeTests : DatabaseTest
{
    private const string Model = "huihui_ai/huihui-moe-abliterated:5b-a1.7b";
    private FakeProviderServer server = null!;

    [SetUp]
    public async Task StartServer() => server = await FakeProviderServer.StartAsync();

    [TearDown]
    public async Task StopServer() => await server.DisposeAsync();

    private ModuleServices Services() => ModuleServices.BuildOnSystemClock(new Dictionary<string, string?>
    {
        ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
        ["HuiHui:Ingestion:SpoolPath"] = CacheHarness.NewFolder(),
        ["HuiHui:Experts:SpoolPath"] = CacheHarness.NewFolder(),
        ["HuiHui:Experts:AnalyzeEveryCycle"] = "false",
        ["HuiHui:Llm:Enabled"] = "true",
        ["HuiHui:Llm:Endpoint"] = new Uri(server.BaseUrl, "v1").ToString(),
        ["HuiHui:Llm:TimeBudget"] = "00:00:01",
    });

    private static async Task<(Analysis Analysis, StatsWriter Stats)> AnalyzeAsync(ModuleServices services)
    {
        var stats = services.Get<StatsWriter>();
        await stats.StartAsync(CancellationToken.None);
        await using var scope = services.Provider.CreateAsyncScope();
        var analysis = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new AnalyzeSymbol("SPY"));
        return (analysis, stats);
    }

    private static Task<long> UsageRowsAsync(bool success) =>
        Sql.ScalarAsync<long>("SELECT count(*) FROM usage_stats.huihui_usage WHERE kind = 'llm' AND success = $1", success);

    [Test]
    public async Task Model_WritesTheNarrative_AndItsTokensAreRecorded()
    {
        string? prompt = null;
        server.Handler = async context =>
        {
            using var request = await JsonDocument.ParseAsync(context.Request.Body);
            prompt = request.RootElement.GetProperty("messages")[1].GetProperty("content").GetString();
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$$"""
                {"id":"chatcmpl-1","object":"chat.completion","created":1795459199,"model":"{{{Model}}}",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"SPY leans one way; the desk should watch the walls."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":321,"completion_tokens":45,"total_tokens":366}}
                """);
        };
        await using var services = Services();

        var (analysis, stats) = await AnalyzeAsync(services);

        Assert.That(analysis.Meta.Narrative, Is.EqualTo("SPY leans one way; the desk should watch the walls."));
        Assert.That(analysis.Meta.NarrativeBy, Is.EqualTo("llm:" + Model));
        Assert.That(prompt, Does.Contain("Symbol SPY").And.Contain("Meta: bias"));
        Assert.That(server.Requests.Single().Path, Does.EndWith("/v1/chat/completions"));
        await Poller.UntilAsync(() => UsageRowsAsync(true), n => n == 1, what: "the LLM usage row");
        Assert.That(await Sql.ScalarAsync<int>("SELECT prompt_tokens + completion_tokens FROM usage_stats.huihui_usage WHERE kind = 'llm'"), Is.EqualTo(366));
        var experts = await Poller.UntilAsync(() => Sql.ScalarAsync<long>("SELECT count(*) FROM usage_stats.huihui_usage WHERE kind = 'expert' AND success"), n => n == 3, what: "the expert usage rows");
        Assert.That(experts, Is.EqualTo(3), "each expert call is recorded too");
        await stats.StopAsync(CancellationToken.None);
    }

    [TestCase(true, TestName = "A slow model falls back to the template within the time budget")]
    [TestCase(false, TestName = "A failing model falls back to the template")]
    public async Task BrokenModel_FallsBackToTheTemplate_AndTheFailureIsRecorded(bool slow)
    {
        server.Handler = async context =>
        {
            if (slow)
            {
                await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted);
            }

            context.Response.StatusCode = 500;
        };
        await using var services = Services();

        var (analysis, stats) = await AnalyzeAsync(services);

        Assert.That(analysis.Meta.NarrativeBy, Is.EqualTo("template"));
        Assert.That(analysis.Meta.Narrative, Does.StartWith("SPY at "));
        await Poller.UntilAsync(() => UsageRowsAsync(false), n => n == 1, what: "the failed LLM usage row");
        Assert.That(analysis.TimingsMs.Meta, Is.LessThan(10_000), "bounded by the time budget, not the server");
        await stats.StopAsync(CancellationToken.None);
    }
}
