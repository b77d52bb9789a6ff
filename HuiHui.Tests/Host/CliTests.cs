using System.Text.Json;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Host;

public sealed class CliTests
{
    [Test]
    public async Task Migrate_Json_PrintsWhatItApplied_ThenNothingTheSecondTime()
    {
        var connectionString = await TestDatabase.CreateAsync("huihui_cli");
        try
        {
            var first = await CliProcess.RunAsync(connectionString, "migrate", "--json");
            var second = await CliProcess.RunAsync(connectionString, "migrate", "--json");

            Assert.That(first.ExitCode, Is.Zero, first.StandardError);
            var applied = JsonDocument.Parse(first.StandardOutput).RootElement;
            Assert.That(applied.GetProperty("applied").GetInt32(), Is.EqualTo(7));
            Assert.That(
                applied.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("module").GetString() == "experts").GetProperty("applied")[0].GetString(),
                Does.EndWith("_Initial"));
            Assert.That(second.ExitCode, Is.Zero, second.StandardError);
            Assert.That(JsonDocument.Parse(second.StandardOutput).RootElement.GetProperty("applied").GetInt32(), Is.Zero);
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
}
