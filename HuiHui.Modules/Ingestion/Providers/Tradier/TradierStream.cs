using System.Buffers;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using HuiHui.Modules.Cache.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Pipeline;
using HuiHui.Modules.Ingestion.Validation;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Ingestion.Providers.Tradier;

/// <summary>Creates a market streaming session: <c>POST v1/markets/events/session</c> → <c>stream.sessionid</c>.</summary>
internal sealed class TradierStreamSession(HttpClient http, IOptions<TradierOptions> options)
{
    public async Task<string> CreateAsync(string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.BaseUrl, "v1/markets/events/session"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Content = new ByteArrayContent([]);
        var payload = await ProviderHttp.GetBytesAsync(http, TradierParser.Provider, request, null, cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.TryGetProperty("stream", out var stream) && stream.TryGetProperty("sessionid", out var id) && id.GetString() is { Length: > 0 } session
                ? session
                : throw new ProviderPayloadException(TradierParser.Provider, "stream.sessionid", "missing in the session answer");
        }
        catch (JsonException error)
        {
            throw new ProviderPayloadException(TradierParser.Provider, "stream", $"malformed session answer: {error.Message}", error);
        }
    }
}

/// <summary>
/// Tradier's market stream beside the REST polls: opens a session, connects the web socket, subscribes the watch-list
/// symbols that Tradier serves and their most active contracts, and feeds <see cref="TradierStreamBook"/> — trades become the
/// snapshots' prints, the underlying's quote is cached between polls (<see cref="MarketDataKeys.StreamQuote"/>). On a drop it
/// raises <c>stream-down:tradier</c>, reconnects with doubling back-off (a new session each time) while the REST polls go on,
/// and resolves the alert once the stream is back. Malformed messages are counted and logged, never fatal. Runs only when
/// Tradier is among the providers, a token is set and <see cref="TradierOptions.Streaming"/> is on.
/// </summary>
internal sealed partial class TradierStream(
    TradierStreamBook book,
    IOptionsMonitor<TradierOptions> options,
    IngestionState state,
    IEnhancedCache cache,
    IServiceScopeFactory scopes,
    IngestionAlerts alerts,
    IngestionMetrics metrics,
    TimeProvider time,
    ILogger<TradierStream> logger) : BackgroundService
{
    public const string AlertCode = "stream-down:tradier";

    /// <summary>The events asked for: trades and time-and-sales sign the flow, quotes sign trades, summaries complete the quote.</summary>
    private static readonly string[] Filter = ["trade", "quote", "summary", "timesale"];

    private bool alertRaised;

    /// <summary>The symbols subscribed now (for tests and the status).</summary>
    public IReadOnlyList<string> Subscribed { get; private set; } = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            var token = string.IsNullOrWhiteSpace(settings.Token) ? Environment.GetEnvironmentVariable("TRADIER_TOKEN") : settings.Token;
            var underlyings = state.WatchList.Where(s => state.ProvidersFor(s).Contains(TradierParser.Provider, StringComparer.OrdinalIgnoreCase)).ToList();
            if (!settings.Streaming || string.IsNullOrWhiteSpace(token) || underlyings.Count == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            string reason;
            try
            {
                await RunSessionAsync(token, settings, () => failures = 0, stoppingToken);
                reason = "the stream closed";
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error) when (error is WebSocketException or ProviderUnavailableException or ProviderPayloadException or IOException or HttpRequestException or OperationCanceledException)
            {
                reason = error.Message;
            }

            book.Connected = false;
            Subscribed = [];
            failures++;
            var wait = TimeSpan.FromTicks(Math.Min(settings.StreamReconnectMax.Ticks, settings.StreamReconnectMin.Ticks * (1L << Math.Min(failures - 1, 20))));
            LogDropped(logger, reason, wait.TotalSeconds);
            await AlertAsync(raise: true, $"Tradier market stream down ({reason}); REST polling continues, reconnecting", stoppingToken);
            await Task.Delay(wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        book.Connected = false;
    }

    private async Task RunSessionAsync(string token, TradierOptions settings, Action connected, CancellationToken stoppingToken)
    {
        string session;
        await using (var scope = scopes.CreateAsyncScope())
        {
            session = await scope.ServiceProvider.GetRequiredService<TradierStreamSession>().CreateAsync(token, stoppingToken);
        }

        using var socket = new ClientWebSocket();
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        connectTimeout.CancelAfter(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(settings.StreamUrl, connectTimeout.Token);
        using var sendGate = new SemaphoreSlim(1, 1);
        await SubscribeAsync(socket, sendGate, session, stoppingToken);
        book.Connected = true;
        connected();
        LogConnected(logger, string.Join(",", Subscribed));
        await AlertAsync(raise: false, null, stoppingToken);

        using var sessionStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var resubscribe = ResubscribeAsync(socket, sendGate, session, settings.StreamResubscribeEvery, sessionStop.Token);
        try
        {
            await ReceiveAsync(socket, stoppingToken);
        }
        finally
        {
            await sessionStop.CancelAsync();
            await resubscribe.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The watch-list underlyings Tradier serves, then each one's most active contracts from its latest snapshot.</summary>
    private async Task<List<string>> SymbolsAsync(CancellationToken cancellationToken)
    {
        var perUnderlying = options.CurrentValue.StreamContracts;
        var symbols = new List<string>();
        foreach (var underlying in state.WatchList.Where(s => state.ProvidersFor(s).Contains(TradierParser.Provider, StringComparer.OrdinalIgnoreCase)))
        {
            symbols.Add(underlying);
            if (perUnderlying > 0 && await cache.TryGetAsync(MarketDataKeys.Snapshot(underlying), cancellationToken) is { Value: var snapshot })
            {
                symbols.AddRange(snapshot.Contracts.OrderByDescending(c => c.Volume).ThenBy(c => c.OccSymbol, StringComparer.Ordinal).Take(perUnderlying).Select(c => c.OccSymbol));
            }
        }

        return symbols;
    }

    private async Task SubscribeAsync(ClientWebSocket socket, SemaphoreSlim sendGate, string session, CancellationToken cancellationToken)
    {
        var symbols = await SymbolsAsync(cancellationToken);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["symbols"] = symbols,
            ["sessionid"] = session,
            ["filter"] = Filter,
            ["linebreak"] = true,
            ["validOnly"] = true,
        });
        await sendGate.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            sendGate.Release();
        }

        Subscribed = symbols;
    }

    /// <summary>Sends the subscription again when the watch-list or the most active contracts changed.</summary>
    private async Task ResubscribeAsync(ClientWebSocket socket, SemaphoreSlim sendGate, string session, TimeSpan every, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && socket.State == WebSocketState.Open)
        {
            await Task.Delay(every, time, cancellationToken);
            if (!(await SymbolsAsync(cancellationToken)).SequenceEqual(Subscribed))
            {
                await SubscribeAsync(socket, sendGate, session, cancellationToken);
            }
        }
    }

    private async Task ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var message = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer.AsSpan(0, result.Count));
                if (!result.EndOfMessage)
                {
                    continue;
                }

                await HandleAsync(message.WrittenMemory, cancellationToken);
                message.ResetWrittenCount();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A frame may carry several events, one per line (<c>linebreak</c>).</summary>
    private async Task HandleAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        var changed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var rest = frame;
        while (!rest.IsEmpty)
        {
            var cut = rest.Span.IndexOf((byte)'\n');
            var line = cut < 0 ? rest : rest[..cut];
            rest = cut < 0 ? ReadOnlyMemory<byte>.Empty : rest[(cut + 1)..];
            if (line.Span.Trim((byte)'\r').Trim((byte)' ').IsEmpty)
            {
                continue;
            }

            try
            {
                if (TradierStreamParser.Parse(line.Span) is { } message && book.Apply(message) is { } underlying)
                {
                    changed.Add(underlying);
                }
            }
            catch (ProviderPayloadException error)
            {
                book.CountMalformed();
                metrics.Refused("stream-malformed");
                LogMalformed(logger, error.Message, Encoding.UTF8.GetString(line.Span[..Math.Min(line.Length, 200)]));
            }
        }

        foreach (var underlying in changed)
        {
            if (book.LiveQuote(underlying) is { } quote)
            {
                await cache.SetAsync(MarketDataKeys.StreamQuote(underlying), quote, cancellationToken);
            }
        }
    }

    private async Task AlertAsync(bool raise, string? message, CancellationToken cancellationToken)
    {
        if (raise != alertRaised && await alerts.SetAsync(AlertCode, raise ? message : null, cancellationToken))
        {
            alertRaised = raise;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tradier market stream connected: {Symbols}")]
    private static partial void LogConnected(ILogger logger, string symbols);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tradier market stream down: {Reason}; reconnecting in {Seconds:0.#} s (REST polling continues)")]
    private static partial void LogDropped(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tradier stream message dropped: {Reason}: {Line}")]
    private static partial void LogMalformed(ILogger logger, string reason, string line);
}
