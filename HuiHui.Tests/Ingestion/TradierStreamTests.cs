using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers.Tradier;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Ingestion;

/// <summary>
/// Tradier's market stream against a real web-socket server on 127.0.0.1 that replays messages in Tradier's documented
/// shapes (<c>Samples/tradier_stream.jsonl</c>), beside the REST samples: prints, a malformed message, a dropped connection.
/// </summary>
public sealed partial class TradierStreamTests : DatabaseTest
{
    private StreamServer server = null!;

    [SetUp]
    public async Task StartServer() => server = await StreamServer.StartAsync();

    [TearDown]
    public async Task StopServer() => await server.DisposeAsync();

    private Dictionary<string, string?> Settings()
    {
        var settings = ProviderHttpTests.Settings(server.BaseUrl);
        settings["HuiHui:Ingestion:Tradier:StreamUrl"] = new Uri(server.BaseUrl.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "v1/markets/events").ToString();
        settings["HuiHui:Ingestion:Tradier:StreamReconnectMin"] = "00:00:00.050";
        settings["HuiHui:Ingestion:Tradier:StreamReconnectMax"] = "00:00:00.200";
        settings["HuiHui:Ingestion:WatchList:0"] = "SPY";
        settings["HuiHui:Ingestion:Providers:0"] = "tradier";
        settings["HuiHui:Ingestion:Http:MaxRetries"] = "0";
        return settings;
    }

    [Test]
    public async Task StreamedTrades_BecomeTheSnapshotsPrints_SignedByTheQuote_AndAMalformedMessageIsCountedNotFatal()
    {
        server.Lines = [.. StreamServer.SampleLines().Take(4), """{"type":"trade","symbol":"SPY261218C00590000","price":""", .. StreamServer.SampleLines().Skip(4)];
        await using var services = ModuleServices.BuildOnSystemClock(Settings());
        var stream = services.Get<TradierStream>();
        var book = services.Get<TradierStreamBook>();
        await stream.StartAsync(CancellationToken.None);
        try
        {
            await Poller.UntilAsync(() => Task.FromResult(book.Events), n => n >= 8, what: "the eight good messages");
            await using var scope = services.Provider.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

            var result = await mediator.Send(new IngestSnapshot("SPY", "tradier"));
            var snapshot = (await services.Get<IEnhancedCache>().TryGetAsync(MarketDataKeys.Snapshot("SPY")))!.Value.Value;
            var quote = await mediator.Send(new GetLatestQuote("SPY"));

            Assert.That(book.Malformed, Is.EqualTo(1));
            Assert.That(server.Subscriptions.Single(), Does.Contain("\"sessionid\":\"S-1\"").And.Contain("\"SPY\"").And.Contain("\"linebreak\":true"));
            Assert.That(result.Succeeded, Is.True);
            Assert.That(snapshot.Flow!.DerivedFrom, Is.EqualTo(FlowOrigins.Prints));
            Assert.That(snapshot.Prints.Select(p => (p.Symbol, p.Size, p.Side)), Is.EqualTo(new[]
            {
                ("SPY261218C00590000", 50L, AggressorSide.Buy),
                ("SPY261218P00590000", 30L, AggressorSide.Sell),
                ("SPY261218C00590000", 7L, AggressorSide.Unknown),
            }));
            Assert.That(snapshot.Flow.UnclassifiedVolume, Is.EqualTo(7));
            Assert.That((snapshot.Flow.PartialPrints, snapshot.Flow.Note), Is.EqualTo((true, "prints for 2 streamed contract(s), volume changes between snapshots for the others")),
                "the stream covers its contracts; the rest of the chain is derived from volume changes");
            Assert.That((quote!.Quote.Last, quote.Quote.Open, quote.Source), Is.EqualTo((602.35, 601.15, "tradier-stream")), "the stream's quote is cached between polls");
        }
        finally
        {
            await stream.StopAsync(CancellationToken.None);
        }
    }

    [Test]
    public async Task ADroppedStream_RaisesAnAlert_RestKeepsPolling_AndItReconnectsAndResolves()
    {
        server.Lines = StreamServer.SampleLines();
        server.DropAfterLines = true;
        await using var services = ModuleServices.BuildOnSystemClock(Settings());
        var stream = services.Get<TradierStream>();
        var book = services.Get<TradierStreamBook>();
        await stream.StartAsync(CancellationToken.None);
        try
        {
            await Poller.UntilAsync(() => Sql.OpenAlertsAsync("ingestion", TradierStream.AlertCode), n => n == 1, what: "the stream-down alert");
            Assert.That(book.Connected, Is.False);
            await using (var scope = services.Provider.CreateAsyncScope())
            {
                var rest = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new IngestSnapshot("SPY", "tradier"));
                Assert.That((rest.Succeeded, rest.Contracts), Is.EqualTo((true, 12)), "REST polling goes on while the stream is down");
            }

            var attemptsWhileDown = await Poller.UntilAsync(() => Task.FromResult(server.Refused), n => n >= 2, what: "reconnection attempts with back-off");
            server.Refusing = false;

            await Poller.UntilAsync(() => Sql.OpenAlertsAsync("ingestion", TradierStream.AlertCode), n => n == 0, what: "the alert resolved");
            Assert.That(book.Connected, Is.True);
            Assert.That(server.Sessions, Is.GreaterThanOrEqualTo(2), "a new session for each connection");
            Assert.That(attemptsWhileDown, Is.GreaterThanOrEqualTo(2));
        }
        finally
        {
            await stream.StopAsync(CancellationToken.None);
        }
    }

    [Test]
    public void Messages_InTheDocumentedShapes_Parse_AndBadOnesSayWhy()
    {
        var events = StreamServer.SampleLines().Select(l => TradierStreamParser.Parse(Encoding.UTF8.GetBytes(l))!).ToList();

        Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { "quote", "summary", "quote", "trade", "quote", "timesale", "trade", "trade" }));
        Assert.That((events[3].Price, events[3].Size, events[3].Time), Is.EqualTo(((double?)18.52, (long?)50, (DateTimeOffset?)DateTimeOffset.FromUnixTimeMilliseconds(1795459192000))));
        Assert.That((events[0].Bid, events[0].Ask), Is.EqualTo(((double?)602.34, (double?)602.36)));
        Assert.That(events[1].PreviousClose, Is.EqualTo(605.45));
        Assert.That(TradierStreamParser.Parse("""{"type":"heartbeat"}"""u8), Is.Null, "events HuiHui does not use are passed over");
        Assert.That(() => TradierStreamParser.Parse("""{"type":"trade","symbol":"SPY","price":"abc"}"""u8),
            Throws.TypeOf<HuiHui.Modules.Ingestion.Validation.ProviderPayloadException>().With.Message.Contains("stream.price"));
        Assert.That(() => TradierStreamParser.Parse("""{"type":"trade","symbol":"""u8),
            Throws.TypeOf<HuiHui.Modules.Ingestion.Validation.ProviderPayloadException>().With.Message.Contains("malformed"));
    }

    /// <summary>Tradier's REST samples, the session call and a web-socket endpoint replaying <see cref="Lines"/> (dates moved to now).</summary>
    private sealed partial class StreamServer : IAsyncDisposable
    {
        private readonly FakeProviderServer http;
        private int sessions;
        private int refused;

        private StreamServer(FakeProviderServer http) => this.http = http;

        public Uri BaseUrl => http.BaseUrl;

        public IReadOnlyList<string> Lines { get; set; } = [];

        /// <summary>Abort each connection once its lines are sent, then refuse new ones until <see cref="Refusing"/> is cleared.</summary>
        public bool DropAfterLines { get; set; }

        public bool Refusing { get; set; }

        public int Sessions => sessions;

        public int Refused => refused;

        public ConcurrentQueue<string> Subscriptions { get; } = new();

        public static List<string> SampleLines() => File.ReadAllLines(Path.Combine(Samples.Folder, "tradier_stream.jsonl")).Where(l => l.Length > 0).ToList();

        public static async Task<StreamServer> StartAsync()
        {
            var server = new StreamServer(await FakeProviderServer.StartAsync());
            server.http.Handler = server.HandleAsync;
            return server;
        }

        private async Task HandleAsync(HttpContext context)
        {
            var path = context.Request.Path.Value ?? "";
            if (path.EndsWith("/events/session", StringComparison.Ordinal))
            {
                var id = Interlocked.Increment(ref sessions);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"stream\":{\"url\":\"https://stream.tradier.com/v1/markets/events\",\"sessionid\":\"S-" + id + "\"}}");
                return;
            }

            if (!path.EndsWith("/markets/events", StringComparison.Ordinal))
            {
                await FakeProviderServer.Tradier(context);
                return;
            }

            if (!context.WebSockets.IsWebSocketRequest || Refusing)
            {
                Interlocked.Increment(ref refused);
                context.Response.StatusCode = 503;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[8192];
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            Subscriptions.Enqueue(Encoding.UTF8.GetString(buffer, 0, received.Count));
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var frame = string.Join("\n", Lines.Select(l => Dates().Replace(l, m => $"\"{m.Groups[1].Value}\":\"{now}\""))) + "\n";
            await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, context.RequestAborted);
            if (DropAfterLines)
            {
                DropAfterLines = false;
                Refusing = true;
                socket.Abort();
                return;
            }

            while (socket.State == WebSocketState.Open && !context.RequestAborted.IsCancellationRequested)
            {
                var next = await socket.ReceiveAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                if (next.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                Subscriptions.Enqueue(Encoding.UTF8.GetString(buffer, 0, next.Count));
            }
        }

        [GeneratedRegex("\"(date|biddate|askdate)\":\"\\d+\"")]
        private static partial Regex Dates();

        public ValueTask DisposeAsync() => http.DisposeAsync();
    }
}
