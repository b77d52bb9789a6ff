using Hangfire;
using HuiHui.Modules.Ingestion;
using HuiHui.Modules.Ingestion.Jobs;
using HuiHui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Ingestion;

/// <summary>The Hangfire side, on the host's real Hangfire storage (PostgreSQL schema <c>hangfire</c>).</summary>
public sealed class IngestionJobsTests : DatabaseTest
{
    [Test]
    public async Task Schedule_RegistersTheArchiveBackfillAndRetentionRecurringJobs()
    {
        foreach (var module in Program.Modules)
        {
            module.ScheduleJobs?.Invoke(Testing.Factory.Services.GetRequiredService<IRecurringJobManager>());
        }


        var ids = await Sql.ScalarAsync<string[]>("SELECT array_agg(value ORDER BY value) FROM hangfire.set WHERE key = 'recurring-jobs'");

        Assert.That(ids, Is.SupersetOf(new[] { "ingestion:archive", "ingestion:nightly-backfill", "ingestion:prune-news", "monitoring:retention", "education:ingest-corpus", "learning:labels" }));
    }

    [Test]
    public async Task NightlyBackfill_EnqueuesOneJobPerWatchListSymbol_AndEachStoresItsHistory()
    {
        await using var scope = Testing.Factory.Services.CreateAsyncScope();
        var jobs = ActivatorUtilities.CreateInstance<IngestionJobs>(scope.ServiceProvider);
        var before = await Sql.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%BackfillSymbolAsync%'");

        var enqueued = await jobs.NightlyBackfillAsync();
        var result = await jobs.BackfillSymbolAsync("SPY", 10, CancellationToken.None);

        var after = await Sql.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%BackfillSymbolAsync%'");
        Assert.That(enqueued, Is.EqualTo(3), "SPY, QQQ and IWM from appsettings.json");
        Assert.That(after - before, Is.EqualTo(3));
        Assert.That((result.Symbol, result.Source, result.Error), Is.EqualTo(("SPY", (string?)"simulated", (string?)null)));
        Assert.That(result.Inserted, Is.GreaterThan(0));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM market_data.underlying_ohlc WHERE symbol = 'SPY'"), Is.EqualTo(result.Inserted));
    }
}
