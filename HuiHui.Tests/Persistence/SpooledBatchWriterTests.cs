using HuiHui.Modules.Shared.Persistence;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace HuiHui.Tests.Persistence;

/// <summary>The persistence kit's spooled writer and its spool, against the suite's PostgreSQL (through a proxy to take it away).</summary>
[TestFixture]
public sealed class SpooledBatchWriterTests
{
    internal sealed record Row(Guid Id, int Seq, string? Note, double Score = 0);

    [Test]
    public void Spool_KeepsSegmentsInOrder_ReadsPastACutLine_AndDropsTheOldestPastItsCap()
    {
        var folder = CacheHarness.NewFolder();
        var spool = new RowSpool<Row>(folder, "rows", 256 * 1024, SpoolJson.For<Row>);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "rows.jsonl"), "{\"id\":\"00000000-0000-0000-0000-000000000001\",\"seq\":0,\"note\":null}\n{\"id\":\"0000");
        File.WriteAllText(Path.Combine(folder, "rows-refused.jsonl"), "not a segment"); // another file set's name: left alone

        var note = new string('x', 1000);
        for (var i = 1; i <= 200; i++)
        {
            Assert.That(spool.Append([new Row(Guid.NewGuid(), i, note)]), Is.Zero, $"row {i}: under the cap");
        }

        var segments = spool.Segments();
        Assert.That(Path.GetFileName(segments[0]), Is.EqualTo("rows.jsonl"), "the older layout's file first");
        Assert.That(segments.Skip(1).Select(Path.GetFileName), Is.Ordered.And.All.Match(@"^rows-\d{12}\.jsonl$"));
        Assert.That(segments, Has.Count.GreaterThan(2), "64 KiB segments");
        var all = segments.SelectMany(spool.Read).ToList();
        Assert.That(all.Select(r => r.Seq), Is.EqualTo(Enumerable.Range(0, 201)), "every row once, in order; the cut line skipped");
        Assert.That(spool.Bytes, Is.EqualTo(segments.Sum(f => new FileInfo(f).Length)));

        // Past the cap: the oldest segments go, counted, until the spool is under 90 % of it.
        var lost = 0;
        for (var i = 201; i <= 300; i++)
        {
            lost += spool.Append([new Row(Guid.NewGuid(), i, note)]);
        }

        Assert.That(lost, Is.GreaterThan(0));
        Assert.That(spool.Dropped, Is.EqualTo(lost));
        Assert.That(spool.Bytes, Is.LessThanOrEqualTo(256 * 1024));
        var kept = spool.Segments().SelectMany(spool.Read).Select(r => r.Seq).ToList();
        Assert.That(kept, Is.EqualTo(Enumerable.Range(301 - kept.Count, kept.Count)), "the newest rows kept, the oldest dropped");
        Assert.That(kept.Count + lost, Is.EqualTo(301), "every row either kept or counted as dropped");
        Assert.That(File.Exists(Path.Combine(folder, "rows-refused.jsonl")), Is.True);
    }

    [Test]
    public void Spool_KeepsNaNAndInfinities_WhichPostgresTakesInRealColumns()
    {
        var spool = new RowSpool<Row>(CacheHarness.NewFolder(), "rows", 1024 * 1024, SpoolJson.For<Row>);
        Assert.That(spool.Append([new Row(Guid.NewGuid(), 1, null, double.NaN), new Row(Guid.NewGuid(), 2, null, double.NegativeInfinity)]), Is.Zero);
        var read = spool.Segments().SelectMany(spool.Read).ToList();
        Assert.That(read.Select(r => r.Score), Is.EqualTo(new[] { double.NaN, double.NegativeInfinity }));
        Assert.That(spool.Unserialisable, Is.Zero);
    }

    [Test]
    public async Task Writer_SpoolsWhilePostgresIsAway_ReplaysInOrder_KeepsRefusedRowsAside_AndAlertsWhenItsSpoolIsFull()
    {
        var table = "public.spool_test_" + Guid.NewGuid().ToString("N")[..8];
        await Sql.ExecuteAsync($"CREATE TABLE {table} (id uuid PRIMARY KEY, seq int NOT NULL, note text CHECK (note IS NULL OR note <> 'bad'))");
        var server = new NpgsqlConnectionStringBuilder(Testing.ConnectionString);
        await using var proxy = new TcpProxy(server.Host!, server.Port);
        proxy.Start();
        var throughProxy = new NpgsqlConnectionStringBuilder(Testing.ConnectionString) { Port = proxy.Port, Timeout = 2, CommandTimeout = 5 }.ConnectionString;
        await using var services = ModuleServices.BuildOnSystemClock(new Dictionary<string, string?>());
        await using var dataSource = NpgsqlDataSource.Create(throughProxy);
        var folder = CacheHarness.NewFolder();
        var writer = new RowsWriter(dataSource, table, folder, 1024 * 1024, services.Get<IServiceScopeFactory>());
        await writer.StartAsync(CancellationToken.None);
        try
        {
            var seq = 0;
            Row Next(string? note = null) => new(Guid.NewGuid(), ++seq, note);
            for (var i = 0; i < 20; i++)
            {
                await writer.EnqueueAsync(Next(), CancellationToken.None);
            }

            await Poller.UntilAsync(() => Task.FromResult(writer.Drained && writer.Written == 20), done => done, what: "the first rows written");

            proxy.Stop();
            for (var i = 0; i < 30; i++)
            {
                await writer.EnqueueAsync(Next(i == 7 ? "bad" : null), CancellationToken.None);
            }

            await Poller.UntilAsync(() => Task.FromResult(writer.Spooled), n => n >= 30, what: "rows spooled while PostgreSQL is away");
            Assert.That(writer.DatabaseDown, Is.True);
            Assert.That(writer.SpoolBytes, Is.GreaterThan(0));

            proxy.Start();
            for (var i = 0; i < 5; i++)
            {
                await writer.EnqueueAsync(Next(), CancellationToken.None);
            }

            await Poller.UntilAsync(() => Task.FromResult(writer.Drained), done => done, TimeSpan.FromSeconds(30), what: "the spool replayed");
            Assert.That(writer.DatabaseDown, Is.False);
            Assert.That(await Sql.ScalarAsync<long>($"SELECT count(*) FROM {table}"), Is.EqualTo(54L), "55 rows, the refused one aside");
            Assert.That(await Sql.ScalarAsync<long>($"SELECT count(DISTINCT seq) FROM {table}"), Is.EqualTo(54L), "nothing twice");
            Assert.That(writer.Rejected, Is.EqualTo(1));
            Assert.That((writer.Status.Name, writer.Status.Written, writer.Status.Rejected, writer.Status.SpoolBytes, writer.Status.DatabaseDown),
                Is.EqualTo(("rows", 54L, 1L, 0L, false)), "what the Health page shows");
            var refused = File.ReadAllLines(Path.Combine(folder, "rows.refused.jsonl"));
            Assert.That(refused, Has.Length.EqualTo(1).And.Some.Contains("\"seq\":28"), "the refused row kept for a person to look at");
            Assert.That(Directory.GetFiles(folder, "rows-*.jsonl"), Is.Empty, "the replayed segments deleted");
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }

        // A small cap and PostgreSQL away: the oldest rows dropped, counted, and an alert raised.
        proxy.Stop();
        var capped = new RowsWriter(dataSource, table, CacheHarness.NewFolder(), 1024 * 1024, services.Get<IServiceScopeFactory>());
        await capped.StartAsync(CancellationToken.None);
        var note = new string('n', 4000);
        for (var i = 0; i < 400; i++)
        {
            capped.Enqueue(new Row(Guid.NewGuid(), 1000 + i, note));
        }

        await Poller.UntilAsync(() => Task.FromResult(capped.Dropped), n => n > 0, TimeSpan.FromSeconds(30), what: "the full spool dropping its oldest rows");
        await Poller.UntilAsync(() => Sql.OpenAlertsAsync("test", "spool-full:rows"), n => n > 0, what: "the spool-full alert");
        await capped.StopAsync(CancellationToken.None);
        Assert.That(capped.SpoolBytes, Is.LessThanOrEqualTo(1024 * 1024));
        Assert.That(await Sql.OpenAlertsAsync("test", "spool-full:rows"), Is.EqualTo(1L), "one open alert however many drops");
        await Sql.ExecuteAsync($"DROP TABLE {table}; UPDATE system_health.alerts SET resolved_at = now() WHERE source = 'test'");
    }

    /// <summary>A writer of <see cref="Row"/>s into a test table, through the kit (staged, new keys only).</summary>
    private sealed class RowsWriter(NpgsqlDataSource dataSource, string table, string folder, long maxBytes, IServiceScopeFactory scopes)
        : SpooledBatchWriter<Row>(new SpoolSettings("rows", "test", folder, maxBytes, 1000, 10, TimeSpan.FromMilliseconds(200), TimeSpan.Zero),
            SpoolJson.For<Row>, scopes, TimeProvider.System, NullLogger.Instance)
    {
        protected override async Task WriteAsync(List<Row> batch, CancellationToken cancellationToken)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await StagedCopy.StageAsync(connection, table, "id, seq, note", batch, async (copy, row, token) =>
            {
                await copy.WriteAsync(row.Id, NpgsqlDbType.Uuid, token);
                await copy.WriteAsync(row.Seq, NpgsqlDbType.Integer, token);
                await (row.Note is null ? copy.WriteNullAsync(token) : copy.WriteAsync(row.Note, NpgsqlDbType.Text, token));
            }, cancellationToken, definition: "id uuid, seq int, note text");
            await StagedCopy.InsertNewAsync(connection, table, "id, seq, note", "id", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
