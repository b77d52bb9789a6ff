using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Ingestion.Validation;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Modules.Ingestion.Providers.Files;

/// <summary>
/// HuiHui's CSV chain format (documented in docs/operations.md): one row per contract, a header row, comma separated,
/// invariant culture. Columns: <c>as_of</c> (ISO 8601 with offset), <c>underlying</c>, <c>spot</c>, <c>occ_symbol</c>,
/// <c>bid</c>, <c>ask</c>, <c>last</c>, <c>volume</c>, <c>open_interest</c>, <c>iv</c> (decimal); empty means unknown.
/// Rows with the same <c>as_of</c> and <c>underlying</c> form one snapshot.
/// </summary>
internal static class CsvChainFormat
{
    public const string Header = "as_of,underlying,spot,occ_symbol,bid,ask,last,volume,open_interest,iv";

    public static List<ChainSnapshot> Read(string path)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant() };
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, configuration);
        var groups = new Dictionary<(DateTimeOffset, string), (double Spot, List<OptionContract> Contracts, int Unreadable)>();
        try
        {
            csv.Read();
            csv.ReadHeader();
            foreach (var column in Header.Split(','))
            {
                if (!csv.HeaderRecord!.Contains(column, StringComparer.OrdinalIgnoreCase))
                {
                    throw new ProviderPayloadException("file", column, $"{Path.GetFileName(path)}: missing column '{column}' (expected {Header})");
                }
            }

            while (csv.Read())
            {
                var row = csv.Parser.Row;
                var asOf = AsOf(csv.GetField("as_of"), path, row);

                var underlying = csv.GetField("underlying")?.Trim().ToUpperInvariant() ?? "";
                var key = (asOf, underlying);
                var group = groups.TryGetValue(key, out var existing) ? existing : (Number(csv, "spot") ?? 0, new List<OptionContract>(), 0);
                if (OccSymbol.TryParse(csv.GetField("occ_symbol"), out var occ, out _))
                {
                    group.Item2.Add(new OptionContract(occ.ToString(), underlying, occ.Expiry, occ.Strike, occ.Right,
                        Number(csv, "bid"), Number(csv, "ask"), Number(csv, "last"), (long)(Number(csv, "volume") ?? 0), (long)(Number(csv, "open_interest") ?? 0),
                        GreekUnits.ImpliedVol(Number(csv, "iv")), null, asOf));
                }
                else
                {
                    group.Item3++;
                }

                groups[key] = group;
            }
        }
        catch (CsvHelperException error)
        {
            throw new ProviderPayloadException("file", "csv", $"{Path.GetFileName(path)}: {error.Message.Split('\n')[0]}", error);
        }

        return groups.Select(g => new ChainSnapshot(g.Key.Item2, g.Key.Item1, "file",
                new UnderlyingQuote(g.Key.Item2, g.Value.Spot, null, null, null, null, null, null, 0, g.Key.Item1),
                g.Value.Contracts, [], [], [], g.Value.Unreadable > 0 ? [new DropCount("unparseable-record", g.Value.Unreadable)] : []))
            .ToList();
    }

    public static void Write(TextWriter writer, ChainSnapshot snapshot)
    {
        writer.WriteLine(Header);
        foreach (var c in snapshot.Contracts)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{snapshot.AsOf:O},{snapshot.Symbol},{snapshot.Spot},{c.OccSymbol},{c.Bid},{c.Ask},{c.Last},{c.Volume},{c.OpenInterest},{c.ImpliedVol}"));
        }
    }

    /// <summary>
    /// <c>as_of</c> is ISO 8601 with its offset (<c>Z</c> or <c>±hh:mm</c>) and becomes UTC here. A time without an offset
    /// is refused rather than read in this machine's zone: the same file must mean the same instant everywhere.
    /// </summary>
    private static DateTimeOffset AsOf(string? text, string path, int row)
    {
        text = text?.Trim();
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var asOf))
        {
            throw new ProviderPayloadException("file", "as_of", $"{Path.GetFileName(path)} row {row}: '{text}' is not an ISO 8601 time");
        }

        if (!HasOffset(text!))
        {
            throw new ProviderPayloadException("file", "as_of",
                $"{Path.GetFileName(path)} row {row}: '{text}' has no UTC offset; write it with one (2026-11-24T16:15:00-05:00 or 2026-11-24T21:15:00Z)");
        }

        return asOf.ToUniversalTime();
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z')
        || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':')
        || (text.Length > 5 && text[^5] is '+' or '-' && char.IsAsciiDigit(text[^1]) && text.IndexOf('T', StringComparison.Ordinal) is var t && t > 0 && text.LastIndexOfAny(['+', '-']) > t);

    private static double? Number(CsvReader csv, string column)
    {
        var text = csv.GetField(column);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ProviderPayloadException("file", column, $"row {csv.Parser.Row}: '{text}' is not a number");
    }
}
