using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Ingestion.Contracts;

namespace HuiHui.Modules.Ingestion.Validation;

/// <summary>
/// Checks every record of a provider's snapshot. Invalid records are dropped and counted by reason; a snapshot
/// without a usable quote is rejected whole (<see cref="ProviderPayloadException"/>). Nothing invalid gets through.
/// Written as plain loops: it runs on every fetch of every symbol.
/// </summary>
internal static class SnapshotValidator
{
    /// <summary>Implied volatility above this (500 %) is a data error, not a market.</summary>
    public const double MaxImpliedVol = 5.0;

    /// <summary>Reused per thread: a chain's set of symbols is large enough to land on the large-object heap each time.</summary>
    [ThreadStatic]
    private static HashSet<string>? seenPerThread;

    public static ChainSnapshot Validate(ChainSnapshot raw)
    {
        var symbol = raw.Symbol;
        var quote = raw.Quote ?? throw new ProviderPayloadException(raw.Source, "quote", $"no quote for {symbol}");
        if (!string.Equals(quote.Symbol, symbol, StringComparison.OrdinalIgnoreCase))
        {
            throw new ProviderPayloadException(raw.Source, "quote.symbol", $"quote is for '{quote.Symbol}', expected '{symbol}'");
        }

        if (!(quote.Last > 0) || double.IsInfinity(quote.Last))
        {
            throw new ProviderPayloadException(raw.Source, "quote.last", $"spot must be a positive number, got {quote.Last}");
        }

        RequireUtc(raw.Source, "asOf", raw.AsOf);
        RequireUtc(raw.Source, "quote.asOf", quote.AsOf);
        var drops = new DropTally(raw.Dropped);
        var today = DateOnly.FromDateTime(raw.AsOf.UtcDateTime);
        var contracts = new List<OptionContract>(raw.Contracts.Count);
        var seen = seenPerThread ??= new HashSet<string>(StringComparer.Ordinal);
        seen.Clear();
        foreach (var contract in raw.Contracts)
        {
            RequireUtc(raw.Source, "contract.updatedAt", contract.UpdatedAt);
            var reason = Check(contract, symbol, today);
            if (reason is null && !seen.Add(contract.OccSymbol))
            {
                reason = "duplicate-contract";
            }

            if (reason is null)
            {
                contracts.Add(contract);
            }
            else
            {
                drops.Add(reason);
            }
        }

        var prints = new List<TradePrint>(raw.Prints.Count);
        foreach (var print in raw.Prints)
        {
            RequireUtc(raw.Source, "print.time", print.Time);
            if (print.Price > 0 && print.Size > 0 && !double.IsInfinity(print.Price) && !string.IsNullOrEmpty(print.Symbol))
            {
                prints.Add(print);
            }
            else
            {
                drops.Add("print-invalid");
            }
        }

        var bars = new List<Bar>(raw.Bars.Count);
        foreach (var bar in raw.Bars)
        {
            RequireUtc(raw.Source, "bar.start", bar.Start);
            if (IsValid(bar))
            {
                bars.Add(bar);
            }
            else
            {
                drops.Add("bar-invalid");
            }
        }

        var news = new List<NewsItem>(raw.News.Count);
        foreach (var item in raw.News)
        {
            RequireUtc(raw.Source, "news.publishedAt", item.PublishedAt);
            if (!string.IsNullOrWhiteSpace(item.Id) && !string.IsNullOrWhiteSpace(item.Headline))
            {
                news.Add(item);
            }
            else
            {
                drops.Add("news-missing-field");
            }
        }

        return raw with { Contracts = contracts, Prints = prints, Bars = bars, News = news, Dropped = drops.ToList() };
    }

    /// <summary>
    /// The boundary's guard: a time with an offset other than zero means a parser forgot to convert it (see
    /// <see cref="HuiHui.Modules.Shared.Persistence.UtcTime"/>); the payload is refused with the field named.
    /// </summary>
    private static void RequireUtc(string source, string field, DateTimeOffset value)
    {
        if (value.Offset != TimeSpan.Zero)
        {
            throw new ProviderPayloadException(source, field, $"{value:O} is not UTC (offset {value.Offset}); provider times are converted to UTC where they are parsed");
        }
    }

    /// <summary>Why <paramref name="contract"/> is invalid, or <c>null</c>.</summary>
    public static string? Check(OptionContract contract, string symbol, DateOnly today)
    {
        if (string.IsNullOrEmpty(contract.OccSymbol))
        {
            return "missing-occ-symbol";
        }

        if (!string.Equals(contract.Underlying, symbol, StringComparison.OrdinalIgnoreCase))
        {
            return "underlying-mismatch";
        }

        if (!(contract.Strike > 0) || double.IsInfinity(contract.Strike))
        {
            return "strike-not-positive";
        }

        if (contract.Expiry < today)
        {
            return "expired";
        }

        if (contract.Bid is < 0 || contract.Ask is < 0 || contract.Last is < 0 || IsBad(contract.Bid) || IsBad(contract.Ask) || IsBad(contract.Last))
        {
            return "negative-price";
        }

        if (contract.Bid is { } bid && contract.Ask is { } ask && bid > ask)
        {
            return "bid-above-ask";
        }

        if (contract.ImpliedVol is { } iv && (!(iv > 0) || iv > MaxImpliedVol))
        {
            return "iv-out-of-range";
        }

        if (contract.Volume < 0 || contract.OpenInterest < 0)
        {
            return "negative-size";
        }

        return null;
    }

    /// <summary>Positive prices with the high and low enclosing the open and close, and a volume that is not negative.</summary>
    public static bool IsValid(Bar bar) =>
        bar.Low > 0 && !double.IsInfinity(bar.High) && bar.High >= Math.Max(bar.Open, bar.Close) && bar.Low <= Math.Min(bar.Open, bar.Close)
        && bar.Volume >= 0 && !string.IsNullOrEmpty(bar.Symbol);

    private static bool IsBad(double? value) => value is { } v && (double.IsNaN(v) || double.IsInfinity(v));

    /// <summary>Counts by reason, keeping the order reasons were first seen.</summary>
    private sealed class DropTally
    {
        private readonly List<DropCount> counts = [];

        public DropTally(IReadOnlyList<DropCount> earlier)
        {
            foreach (var drop in earlier)
            {
                Add(drop.Reason, drop.Count);
            }
        }

        public void Add(string reason, int count = 1)
        {
            for (var i = 0; i < counts.Count; i++)
            {
                if (counts[i].Reason == reason)
                {
                    counts[i] = counts[i] with { Count = counts[i].Count + count };
                    return;
                }
            }

            counts.Add(new DropCount(reason, count));
        }

        public List<DropCount> ToList() => counts;
    }
}
