using System.Net;
using System.Text.Json;
using HuiHui.Tests.Infrastructure;
using Npgsql;

namespace HuiHui.Tests.Host;

public sealed class HealthTests : DatabaseTest
{
    // Nothing listens on port 1: connections are refused at once.
    private const string UnreachableDatabase = "Host=127.0.0.1;Port=1;Username=nobody;Database=nowhere;Timeout=2";

    [Test]
    public async Task Ready_WhenDatabaseIsUpAndMigrated_IsHealthy()
    {
        using var client = Testing.Factory.CreateClient();

        using var response = await client.GetAsync("/health/ready");
        var body = await ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()), Is.EquivalentTo(new[] { "postgres", "migrations", "ingestion", "expert-responses" }));
    }

    [Test]
    public async Task Ready_WithWrongConnectionString_ReportsUnhealthyAndTheHubKeepsServing()
    {
        // Migrations on start and the Hangfire server both on: neither may crash the host when the database is down.
        await using var factory = new HuiHuiFactory(UnreachableDatabase, new Dictionary<string, string?>
        {
            ["HuiHui:Database:MigrateOnStartup"] = "true",
            ["HuiHui:Jobs:RunServer"] = "true",
        });
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync("/health/ready");
        var body = await ReadJsonAsync(ready);
        using var live = await client.GetAsync("/health/live");
        var overview = await client.GetStringAsync("/");

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
        Assert.That(body.GetProperty("checks")[0].GetProperty("description").GetString(), Does.Contain("unreachable"));
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(overview, Does.Contain("data-testid=\"database-unreachable\""));
    }

    [Test]
    public async Task StartupMigrator_WhenDatabaseRefusesAtFirst_RetriesByItselfAndBecomesReady()
    {
        // The login role does not exist when the host starts: every attempt fails until it is created.
        var connectionString = await TestDatabase.CreateAsync("huihui_late");
        var role = new NpgsqlConnectionStringBuilder(connectionString).Database! + "_user";
        var lateConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Username = role }.ConnectionString;
        try
        {
            await using var factory = new HuiHuiFactory(lateConnectionString, new Dictionary<string, string?> { ["HuiHui:Database:MigrateOnStartup"] = "true" });
            using var client = factory.CreateClient();
            using (var before = await client.GetAsync("/health/ready"))
            {
                Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            }

            await TestDatabase.ExecuteAsync($"CREATE ROLE \"{role}\" LOGIN; ALTER DATABASE \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" OWNER TO \"{role}\"");

            await Poller.UntilAsync(
                async () => (await client.GetAsync("/health/ready")).StatusCode,
                status => status == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30),
                "readiness once the role exists");
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
            await TestDatabase.ExecuteAsync($"DROP ROLE IF EXISTS \"{role}\"");
        }
    }

    [Test]
    public async Task Hub_OverKestrelOnLoopback_ServesOverviewAndHangfireDashboard()
    {
        await using var factory = new HuiHuiFactory(Testing.ConnectionString);
        factory.UseKestrel();
        factory.StartServer();
        await HubAccounts.EnsureUsersAsync(factory.Services);
        using var anonymous = factory.CreateClient();
        using var client = await HubAccounts.ClientAsync(factory, HubAccounts.AdminEmail);
        Assert.That(client.BaseAddress!.Host, Is.EqualTo("127.0.0.1"));

        using var overview = await client.GetAsync("/");
        using var dashboard = await client.GetAsync("/hangfire");
        using var stylesheet = await anonymous.GetAsync("/css/site.css");

        Assert.That(overview.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await overview.Content.ReadAsStringAsync(), Does.Contain("data-testid=\"overview-grid\""));
        Assert.That(dashboard.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await dashboard.Content.ReadAsStringAsync(), Does.Contain("HuiHui jobs"));
        Assert.That(stylesheet.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
