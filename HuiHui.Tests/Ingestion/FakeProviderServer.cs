using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuiHui.Tests.Ingestion;

/// <summary>
/// A provider on 127.0.0.1 (Kestrel) that answers every path with the handler the test sets, and records each request
/// (path, Authorization header, time) so tests can see retries, waits and headers. Web-socket requests reach the handler too.
/// </summary>
internal sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeProviderServer(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<(string Path, string? Authorization, DateTimeOffset At)> Requests { get; } = new();

    /// <summary>What every request gets; replace it mid-test to change the provider's behaviour.</summary>
    public Func<HttpContext, Task> Handler { get; set; } = context => { context.Response.StatusCode = 404; return Task.CompletedTask; };

    public static async Task<FakeProviderServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeProviderServer(app);
        app.UseWebSockets(); // streaming providers (Tradier's market stream) are served through the same handler
        app.Run(async context =>
        {
            server.Requests.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.FirstOrDefault(), DateTimeOffset.UtcNow));
            await server.Handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address + "/");
        return server;
    }

    public int Count(string pathPart) => Requests.Count(r => r.Path.Contains(pathPart, StringComparison.Ordinal));

    /// <summary>Serves the Tradier samples by endpoint.</summary>
    public static async Task Tradier(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var sample = path switch
        {
            _ when path.EndsWith("/quotes", StringComparison.Ordinal) => "tradier_quotes.json",
            _ when path.EndsWith("/expirations", StringComparison.Ordinal) => "tradier_expirations.json",
            _ when path.EndsWith("/chains", StringComparison.Ordinal) => "tradier_chain.json",
            _ when path.EndsWith("/timesales", StringComparison.Ordinal) => "tradier_timesales.json",
            _ when path.EndsWith("/history", StringComparison.Ordinal) => "tradier_history.json",
            _ => null,
        };
        if (sample is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Samples.Bytes(sample));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
