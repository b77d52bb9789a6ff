using System.Net;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using HuiHui.Host.Hosting;
using HuiHui.Host.Identity;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HuiHui.Benchmarks;

/// <summary>
/// Server render time of the hub's pages (Overview, Symbol and its AI hub mode, Scanner, Tape, Heatmaps, Levels, Learning)
/// with 20 watch-list symbols analysed (simulated feed),
/// over real HTTP on Kestrel (127.0.0.1) as a logged-in analyst. One request per iteration, so the P95 column is the
/// request p95. Target (issue 6): p95 ≤ 50 ms. Needs PostgreSQL (database <c>huihui_bench_hub</c>, created here).
/// </summary>
[Config(typeof(PercentileConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 30, iterationCount: 300)]
public partial class HubRenderBenchmarks
{
    private static readonly string[] Symbols =
        ["SPY", "QQQ", "IWM", "DIA", "AAPL", "MSFT", "NVDA", "AMZN", "META", "GOOGL", "TSLA", "AMD", "NFLX", "JPM", "XOM", "TLT", "GLD", "SMH", "XLF", "COIN"];

    private WebApplication app = null!;
    private HttpClient client = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
            ?? throw new InvalidOperationException("set ConnectionStrings__Postgres (./huihui.sh db start prints it)");
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = "huihui_bench_hub" };
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP DATABASE IF EXISTS huihui_bench_hub WITH (FORCE); CREATE DATABASE huihui_bench_hub", admin);
            await drop.ExecuteNonQueryAsync();
        }

        var cacheFolder = Path.Combine(Path.GetTempPath(), $"huihui-bench-hub-{Guid.NewGuid():N}");
        app = WebHost.Build(
        [
            "--environment=Benchmark",
            "--Urls=http://127.0.0.1:0",
            $"--ConnectionStrings:Postgres={connection.ConnectionString}",
            "--HuiHui:Database:MigrateOnStartup=true",
            "--HuiHui:Jobs:RunServer=false",
            "--HuiHui:Ingestion:Enabled=false",
            "--HuiHui:Education:IngestOnFirstStart=false",
            "--HuiHui:Learning:FillOnFirstStart=false",
            "--HuiHui:Monitoring:Compliance:Enabled=false",
            $"--HuiHui:Cache:DiskPath={cacheFolder}",
            $"--HuiHui:Ingestion:SpoolPath={Path.Combine(cacheFolder, "spool")}",
            // The analyses stay fresh for the whole run: the pages render them, not the "no data" state.
            "--HuiHui:Cache:ExpertResponseTtl=01:00:00",
            "--HuiHui:Cache:RawTtl=01:00:00",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            // The host's seeder creates the roles once the schemas are migrated.
            for (var wait = 0; !await roles.RoleExistsAsync(HubRoles.Analyst); wait++)
            {
                if (wait > 100)
                {
                    throw new InvalidOperationException("the hub's roles were not seeded within 20 s");
                }

                await Task.Delay(200);
            }

            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = new IdentityUser { UserName = "bench@huihui.local", Email = "bench@huihui.local", EmailConfirmed = true };
            await users.CreateAsync(user, "Benchmark-Password-1!");
            await users.AddToRoleAsync(user, HubRoles.Analyst);

            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            await mediator.Send(new SetWatchList(Symbols));
            foreach (var symbol in Symbols)
            {
                await mediator.Send(new AnalyzeSymbol(symbol, "simulated"));
            }

            // The first chain of each symbol is spooled at once: archive it, so the levels band and IVSDH have a chain to read.
            await mediator.Send(new ArchiveSpooledSnapshots());
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
        var login = await client.GetStringAsync("/Account/Login");
        var token = TokenPattern().Match(login).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = "bench@huihui.local",
            ["Input.Password"] = "Benchmark-Password-1!",
            ["__RequestVerificationToken"] = token,
        });
        using var response = await client.PostAsync("/Account/Login", form);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"login failed: {(int)response.StatusCode}");
        }

        var overview = await client.GetStringAsync("/");
        if (!overview.Contains("data-symbol=\"COIN\"", StringComparison.Ordinal) || overview.Contains("overview-waiting", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the overview does not show the 20 analysed symbols");
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    [Benchmark]
    public Task<string> Overview() => client.GetStringAsync("/");

    [Benchmark]
    public Task<string> Symbol() => client.GetStringAsync("/Symbol/SPY");

    [Benchmark]
    public Task<string> SymbolAiHubWithRadar() => client.GetStringAsync("/Symbol/SPY?mode=ai-hub");

    [Benchmark]
    public Task<string> Scanner() => client.GetStringAsync("/Scanner");

    [Benchmark]
    public Task<string> Tape() => client.GetStringAsync("/Tape/SPY");

    [Benchmark]
    public Task<string> HeatmapGamma() => client.GetStringAsync("/Heatmap/SPY");

    [Benchmark]
    public Task<string> HeatmapUgch() => client.GetStringAsync("/Heatmap/SPY?Kind=Ugch");

    [Benchmark]
    public Task<string> HeatmapIvsdh() => client.GetStringAsync("/Heatmap/SPY?Kind=Ivsdh");

    [Benchmark]
    public Task<string> Levels() => client.GetStringAsync("/Levels/SPY");

    [Benchmark]
    public Task<string> Learning() => client.GetStringAsync("/Learning");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95);
    }
}
