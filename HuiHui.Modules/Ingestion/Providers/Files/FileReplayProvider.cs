using System.Text.Json;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Providers.Cboe;
using HuiHui.Modules.Ingestion.Providers.Tradier;
using HuiHui.Modules.Ingestion.Validation;

namespace HuiHui.Modules.Ingestion.Providers.Files;

/// <summary>
/// Replays a saved provider response, or a folder of them (sub-folders too: one recorded fetch each), in time order: each fetch of a symbol returns its next snapshot, and the
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

    /// <summary>Every snapshot of <paramref name="symbol"/> the source holds, oldest first (for a replay).</summary>
    public IReadOnlyList<ChainSnapshot> All(string symbol)
    {
        var data = Load();
        var upper = symbol.ToUpperInvariant();
        return data.Snapshots.TryGetValue(upper, out var list) && list.Count > 0
            ? list.ConvertAll(s => s with { Source = Name })
            : throw new ProviderUnavailableException(Name, $"no snapshot of {upper} in {folder}{data.Problems()}");
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

        /// <summary>
        /// <paramref name="path"/> is one payload file or a folder. In a folder, the files of each sub-folder form their own
        /// group (a recorded fetch: a Tradier quote with its chains), read in name order; the folder's own files are one group.
        /// </summary>
        public static Replay From(string path)
        {
            var replay = new Replay();
            IEnumerable<IGrouping<string, string>> groups;
            if (File.Exists(path))
            {
                groups = new[] { path }.GroupBy(f => Path.GetDirectoryName(f) ?? "");
            }
            else if (Directory.Exists(path))
            {
                groups = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Order(StringComparer.Ordinal)
                    .GroupBy(f => Path.GetDirectoryName(f) ?? "", StringComparer.Ordinal);
            }
            else
            {
                throw new ProviderUnavailableException(ProviderName, $"replay source {path} does not exist (neither a file nor a folder)");
            }

            var minuteFiles = new List<(string File, List<Bar> Bars, string? Only)>();
            foreach (var group in groups)
            {
                replay.ReadGroup(group, minuteFiles);
            }

            foreach (var (file, bars, only) in minuteFiles)
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

        private void ReadGroup(IEnumerable<string> files, List<(string File, List<Bar> Bars, string? Only)> minuteFiles)
        {
            var chains = new List<OptionContract>();
            var chainUnreadable = 0;
            var quotes = new List<UnderlyingQuote>();
            var groupMinute = new List<(string File, List<Bar> Bars)>();
            var dailyFiles = new List<(string File, List<Bar> Bars)>();
            var symbolsBefore = Snapshots.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var added = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var file in files)
            {
                var name = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? file[..^3] : file;
                try
                {
                    if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                    {
                        foreach (var snapshot in CsvChainFormat.Read(file))
                        {
                            Add(snapshot);
                            added.Add(snapshot.Symbol);
                        }

                        continue;
                    }

                    if (!name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    var bytes = ReadBytes(file);
                    switch (RootProperty(bytes))
                    {
                        case "data":
                            var probe = CboeParser.Parse(bytes, "?");
                            var cboe = CboeParser.Parse(bytes, probe.Quote.Symbol);
                            Add(cboe);
                            added.Add(cboe.Symbol);
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
                            groupMinute.Add((file, TradierParser.ParseTimesales(bytes, "")));
                            break;
                        case "expirations":
                            break;
                        default:
                            Unreadable.Add($"{Path.GetFileName(file)}: not a known provider payload");
                            break;
                    }
                }
                catch (Exception error) when (error is ProviderPayloadException or IOException or JsonException or InvalidDataException)
                {
                    Unreadable.Add($"{Path.GetFileName(file)}: {error.Message}");
                }
            }

            foreach (var group in chains.GroupBy(c => c.Underlying.ToUpperInvariant()))
            {
                var quote = quotes.Where(q => string.Equals(q.Symbol, group.Key, StringComparison.OrdinalIgnoreCase)).MaxBy(q => q.AsOf);
                if (quote is null)
                {
                    Unreadable.Add($"Tradier chain of {group.Key} has no quotes file with {group.Key}");
                    continue;
                }

                var asOf = FetchTime(files) ?? quote.AsOf;
                var contracts = group.Select(c => c with { UpdatedAt = c.UpdatedAt == DateTimeOffset.MinValue ? asOf : c.UpdatedAt }).ToList();
                Add(new ChainSnapshot(group.Key, asOf, TradierParser.Provider, quote with { Symbol = group.Key }, contracts, [], [], [],
                    chainUnreadable > 0 ? [new DropCount("unparseable-record", chainUnreadable)] : []));
                added.Add(group.Key);
            }

            // History and time-and-sales files without a symbol in their name belong to the group's one symbol.
            var only = added.Count == 1 ? added.Single() : Snapshots.Keys.Count == 1 && symbolsBefore.Count == 0 ? Snapshots.Keys.Single() : null;
            foreach (var (file, bars) in dailyFiles)
            {
                if (SymbolOf(file, only) is { } symbol)
                {
                    Daily[symbol] = bars.Select(b => b with { Symbol = symbol }).OrderBy(b => b.Start).ToList();
                }
            }

            minuteFiles.AddRange(groupMinute.Select(m => (m.File, m.Bars, only)));
        }

        /// <summary>
        /// The time of a recorded fetch, from its folder's name (<c>yyyyMMddTHHmmss.fffZ-SYMBOL</c>, see
        /// <see cref="Recording.PayloadRecorder"/>): the snapshot's time as the live provider stamped it.
        /// </summary>
        private static DateTimeOffset? FetchTime(IEnumerable<string> files)
        {
            var folder = Path.GetFileName(Path.GetDirectoryName(files.First()) ?? "");
            var cut = folder.IndexOf('-', StringComparison.Ordinal);
            return cut > 0 && DateTime.TryParseExact(folder[..cut], Recording.PayloadRecorder.FolderTimeFormat, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                ? new DateTimeOffset(at, TimeSpan.Zero)
                : null;
        }

        /// <summary>A payload as saved, or gzip-compressed as the recorder writes it (<c>*.json.gz</c>).</summary>
        private static byte[] ReadBytes(string file)
        {
            if (!file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                return File.ReadAllBytes(file);
            }

            using var input = File.OpenRead(file);
            using var gzip = new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }

        private void Add(ChainSnapshot snapshot)
        {
            if (!Snapshots.TryGetValue(snapshot.Symbol, out var list))
            {
                Snapshots[snapshot.Symbol] = list = [];
            }

            list.Add(snapshot);
        }

        private static string? SymbolOf(string file, string? only)
        {
            var name = Path.GetFileName(file).Split('.')[0];
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
