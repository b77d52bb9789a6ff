using System.Collections.Concurrent;
using HuiHui.Modules.Ingestion.Contracts;

namespace HuiHui.Modules.Ingestion.Providers.Tradier;

/// <summary>
/// What Tradier's market stream has said, per underlying: the latest quote of each streamed symbol (to sign trades), the
/// underlying's live quote, and the option trades of the last <see cref="Window"/> as prints. A trade at or above the ask
/// it met is a buy, at or below the bid a sell, anything else unsigned (counted by the flow, never guessed). The REST
/// snapshot takes its prints from here (<see cref="PrintsFor"/>).
/// </summary>
internal sealed class TradierStreamBook(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, Book> books = new(StringComparer.OrdinalIgnoreCase);
    private long malformed;
    private long events;

    /// <summary>The stream is open and subscribed.</summary>
    public bool Connected { get; set; }

    public long Malformed => Interlocked.Read(ref malformed);

    public long Events => Interlocked.Read(ref events);

    public void CountMalformed() => Interlocked.Increment(ref malformed);

    /// <summary>Applies one event; returns the underlying whose live quote changed, if any.</summary>
    public string? Apply(StreamEvent message)
    {
        Interlocked.Increment(ref events);
        var isOption = OccSymbol.TryParse(message.Symbol, out var occ, out _);
        var underlying = isOption ? occ.Root : message.Symbol.ToUpperInvariant();
        var book = books.GetOrAdd(underlying, _ => new Book());
        lock (book)
        {
            switch (message.Type)
            {
                case "quote":
                    var quote = book.Quotes.GetValueOrDefault(message.Symbol);
                    book.Quotes[message.Symbol] = (message.Bid ?? quote.Bid, message.Ask ?? quote.Ask);
                    if (!isOption)
                    {
                        book.Live = book.Live with { Bid = message.Bid ?? book.Live.Bid, Ask = message.Ask ?? book.Live.Ask, At = message.Time ?? time.GetUtcNow() };
                        return underlying;
                    }

                    return null;
                case "summary":
                    if (!isOption)
                    {
                        book.Live = book.Live with { Open = message.Open ?? book.Live.Open, High = message.High ?? book.Live.High, Low = message.Low ?? book.Live.Low, PreviousClose = message.PreviousClose ?? book.Live.PreviousClose };
                        return underlying;
                    }

                    return null;
                default: // trade, timesale
                    if (message.Price is not { } price || !(price > 0) || message.Size is not { } size || size <= 0 || message.Cancelled)
                    {
                        return null;
                    }

                    var at = message.Time ?? time.GetUtcNow();
                    if (!isOption)
                    {
                        book.Live = book.Live with { Last = price, At = at };
                        return underlying;
                    }

                    var (bid, ask) = message.Bid is not null || message.Ask is not null ? (message.Bid, message.Ask) : book.Quotes.GetValueOrDefault(message.Symbol);
                    var side = ask is > 0 && price >= ask ? AggressorSide.Buy : bid is > 0 && price <= bid ? AggressorSide.Sell : AggressorSide.Unknown;
                    book.Trades.Enqueue(new TradePrint(message.Symbol, price, size, side, at));
                    while (book.Trades.TryPeek(out var oldest) && oldest.Time < at - Window)
                    {
                        book.Trades.Dequeue();
                    }

                    return null;
            }
        }
    }

    /// <summary>The option trades of <paramref name="underlying"/> in the window ending at <paramref name="asOf"/>, oldest first.</summary>
    public IReadOnlyList<TradePrint> PrintsFor(string underlying, DateTimeOffset asOf)
    {
        if (!books.TryGetValue(underlying, out var book))
        {
            return [];
        }

        lock (book)
        {
            return book.Trades.Where(t => t.Time > asOf - Window && t.Time <= asOf).ToList();
        }
    }

    /// <summary>The underlying's quote as the stream last gave it (null until a quote or trade came).</summary>
    public UnderlyingQuote? LiveQuote(string underlying)
    {
        if (!books.TryGetValue(underlying, out var book))
        {
            return null;
        }

        lock (book)
        {
            var live = book.Live;
            var last = live.Last ?? (live.Bid is { } b && live.Ask is { } a ? (a + b) / 2 : null);
            return last is { } price && live.At is { } at
                ? new UnderlyingQuote(underlying.ToUpperInvariant(), price, live.Bid, live.Ask, live.Open, live.High, live.Low, live.PreviousClose, 0, at)
                : null;
        }
    }

    private sealed class Book
    {
        public Dictionary<string, (double? Bid, double? Ask)> Quotes { get; } = new(StringComparer.Ordinal);

        public Queue<TradePrint> Trades { get; } = new();

        public LiveState Live { get; set; } = new(null, null, null, null, null, null, null, null);
    }

    private sealed record LiveState(double? Last, double? Bid, double? Ask, double? Open, double? High, double? Low, double? PreviousClose, DateTimeOffset? At);
}
