using System.Text.Json;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers.Cboe;
using HuiHui.Modules.Ingestion.Providers.Tradier;
using HuiHui.Modules.Ingestion.Validation;

namespace HuiHui.Modules.Ingestion.Providers.Files;

/// <summary>
/// Replays a folder of saved provider responses in time order: each fetch of a symbol returns its next snapshot, and the
/// last one once the folder is used up. Understands CBOE options JSON, Tradier JSON (chains merged with the quote from a
/// quotes file; history and time-and-sales files named <c>SYMBOL_*.json</c>, or unnamed when the folder holds one symbol)
/// and the CSV chain format (<see cref="CsvChainFormat"/>). Unreadable files are skipped and named in the error when a
/// symbol has nothing to replay.
/// </summary>
internal sealed class FileReplayProvider(string folder) : IMarketDataProvider
{
    public const string ProviderName = "file";

    private readonly Lock gate = new();
    private Replay? replay;

    public string Name => ProviderName;

    public string Folder => folder;

    public Task<ChainSnapshot> GetSnapshotAsync(string symbol, CancellationToken cancellationToken)
    {
        var data = Load();
        var upper = symbol.ToUpperInvariant();
        lock (gate)
        {
            if (!data.Snapshots.TryGetValue(upper, out var list) || list.Count == 0)
            {
                throw new ProviderUnavailableException(Name, $"no snapshot of {upper} in {folder}{data.Problems()}");
            }

            var index = data.Cursor.GetValueOrDefault(upper);
            data.Cursor[upper] = Math.Min(index + 1, list.Count - 1);
            return Task.FromResult(list[index] with { Source = Name });
        }
    }

    public Task<IReadOnlyList<Bar>> GetDailyBarsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var data = Load();
        var upper = symbol.ToUpperInvariant();
        if (!data.Daily.TryGetValue(upper, out var bars))
        {
            throw new ProviderUnavailableException(Name, $"no daily history of {upper} in {folder} (a Tradier history file named {upper}_*.json){data.Problems()}");
        }

        return Task.FromResult<IReadOnlyList<Bar>>(bars.Where(b => DateOnly.FromDateTime(b.Start.UtcDateTime) is var d && d >= from && d <= to).ToList());
    }

    private Replay Load()
    {
        lock (gate)
        {
            return replay ??= Replay.From(folder);
        }
    }

    private sealed class Replay
    {
        public Dictionary<string, List<ChainSnapshot>> Snapshots { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, List<Bar>> Daily { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, int> Cursor { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Unreadable { get; } = [];

        public string Problems() => Unreadable.Count == 0 ? "" : $"; unreadable: {string.Join("; ", Unreadable)}";

        public static Replay From(string folder)
        {
            if (!Directory.Exists(folder))
            {
                throw new ProviderUnavailableException(ProviderName, $"replay folder {folder} does not exist");
            }

            var replay = new Replay();
            var chains = new List<OptionContract>();
            var chainUnreadable = 0;
            var quotes = new List<UnderlyingQuote>();
            var minuteFiles = new List<(string File, List<Bar> Bars)>();
            var dailyFiles = new List<(string File, List<Bar> Bars)>();
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                try
                {
                    if (file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                    {
                        replay.AddRange(CsvChainFormat.Read(file));
                        continue;
                    }

                    if (!file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    var bytes = File.ReadAllBytes(file);
                    switch (RootProperty(bytes))
                    {
                        case "data":
                            var probe = CboeParser.Parse(bytes, "?");
                            replay.Add(CboeParser.Parse(bytes, probe.Quote.Symbol));
                            break;
                        case "options":
                            var (contracts, bad) = TradierParser.ParseChain(bytes, "", DateTimeOffset.MinValue);
                            chains.AddRange(contracts);
                            chainUnreadable += bad;
                            break;
                        case "quotes":
                            quotes.AddRange(TradierParser.ParseQuotes(bytes, File.GetLastWriteTimeUtc(file)));
                            break;
                        case "history":
                            dailyFiles.Add((file, TradierParser.ParseHistory(bytes, "")));
                            break;
                        case "series":
                            minuteFiles.Add((file, TradierParser.ParseTimesales(bytes, "")));
                            break;
                        case "expirations":
                            break;
                        default:
                            replay.Unreadable.Add($"{Path.GetFileName(file)}: not a known provider payload");
                            break;
                    }
                }
                catch (Exception error) when (error is ProviderPayloadException or IOException or JsonException)
                {
                    replay.Unreadable.Add($"{Path.GetFileName(file)}: {error.Message}");
                }
            }

            foreach (var group in chains.GroupBy(c => c.Underlying.ToUpperInvariant()))
            {
                var quote = quotes.Where(q => string.Equals(q.Symbol, group.Key, StringComparison.OrdinalIgnoreCase)).MaxBy(q => q.AsOf);
                if (quote is null)
                {
                    replay.Unreadable.Add($"Tradier chain of {group.Key} has no quotes file with {group.Key}");
                    continue;
                }

                var asOf = quote.AsOf;
                var contracts = group.Select(c => c with { UpdatedAt = c.UpdatedAt == DateTimeOffset.MinValue ? asOf : c.UpdatedAt }).ToList();
                replay.Add(new ChainSnapshot(group.Key, asOf, TradierParser.Provider, quote with { Symbol = group.Key }, contracts, [], [], [],
                    chainUnreadable > 0 ? [new DropCount("unparseable-record", chainUnreadable)] : []));
            }

            var only = replay.Snapshots.Keys.Count == 1 ? replay.Snapshots.Keys.Single() : null;
            foreach (var (file, bars) in dailyFiles)
            {
                if (SymbolOf(file, only) is { } symbol)
                {
                    replay.Daily[symbol] = bars.Select(b => b with { Symbol = symbol }).OrderBy(b => b.Start).ToList();
                }
            }

            foreach (var (file, bars) in minuteFiles)
            {
                if (SymbolOf(file, only) is { } symbol && replay.Snapshots.TryGetValue(symbol, out var list))
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        var asOf = list[i].AsOf;
                        list[i] = list[i] with { Bars = bars.Where(b => b.Start <= asOf).Select(b => b with { Symbol = symbol }).ToList() };
                    }
                }
            }

            foreach (var list in replay.Snapshots.Values)
            {
                list.Sort((a, b) => a.AsOf.CompareTo(b.AsOf));
            }

            return replay;
        }

        private void Add(ChainSnapshot snapshot)
        {
            if (!Snapshots.TryGetValue(snapshot.Symbol, out var list))
            {
                Snapshots[snapshot.Symbol] = list = [];
            }

            list.Add(snapshot);
        }

        private void AddRange(IEnumerable<ChainSnapshot> snapshots)
        {
            foreach (var snapshot in snapshots)
            {
                Add(snapshot);
            }
        }

        private static string? SymbolOf(string file, string? only)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var cut = name.IndexOf('_', StringComparison.Ordinal);
            var prefix = cut > 0 ? name[..cut] : null;
            return prefix is not null && prefix.All(char.IsAsciiLetterUpper) ? prefix : only;
        }

        private static string? RootProperty(byte[] json)
        {
            var reader = new Utf8JsonReader(json);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.Read() && reader.TokenType == JsonTokenType.PropertyName
                ? FirstMeaningful(ref reader)
                : null;
        }

        /// <summary>CBOE puts <c>timestamp</c> before <c>data</c>: skip scalar properties to the first object-valued one.</summary>
        private static string? FirstMeaningful(ref Utf8JsonReader reader)
        {
            while (reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (!reader.Read())
                {
                    return null;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.Null || name is "options" or "history" or "quotes" or "series" or "expirations")
                {
                    return name;
                }

                if (!reader.Read())
                {
                    return null;
                }
            }

            return null;
        }
    }
}
