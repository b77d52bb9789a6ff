using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>One watch-list symbol as the scanner shows it, from its latest cached analysis; nulls where there is none yet.</summary>
/// <param name="GexTotal">Net gamma exposure, $ per 1 % move (dealers long when positive).</param>
/// <param name="FlipDistance">(spot − zero gamma) ÷ spot: above the flip when positive.</param>
internal sealed record ScannerRow(
    string Symbol,
    double? Spot,
    double? GexTotal,
    double? ZeroGamma,
    double? FlipDistance,
    double? IvRank,
    double? AtmIv,
    double? FlowScore,
    string? Regime,
    Bias? Bias,
    double? Conviction,
    string? Idea,
    string? NoIdea,
    DateTimeOffset? AsOf,
    bool Stale);

/// <summary>
/// Every watch-list symbol in one table (GEX, distance to the gamma flip, IV rank, flow score, regime, conviction, idea),
/// sorted on the server by the column asked for in the URL (so a live refresh keeps it), refreshed by the analysis push.
/// </summary>
internal sealed class ScannerModel(IMediator mediator) : PageModel
{
    /// <summary>The sortable columns: key, heading, the value sorted on.</summary>
    public static readonly IReadOnlyList<(string Key, string Title, Func<ScannerRow, IComparable?> Value)> Columns =
    [
        ("symbol", "Symbol", r => r.Symbol),
        ("spot", "Spot", r => r.Spot),
        ("gex", "GEX $/1%", r => r.GexTotal),
        ("flip", "To the flip", r => r.FlipDistance),
        ("ivrank", "IV rank", r => r.IvRank),
        ("iv", "ATM IV", r => r.AtmIv),
        ("flow", "Flow score", r => r.FlowScore),
        ("regime", "Regime", r => r.Regime),
        ("conviction", "Conviction", r => r.Conviction),
        ("idea", "Idea", r => r.Idea),
    ];

    [BindProperty(SupportsGet = true)]
    public string Sort { get; set; } = "gex";

    [BindProperty(SupportsGet = true)]
    public bool Desc { get; set; } = true;

    public IReadOnlyList<ScannerRow> Rows { get; private set; } = [];

    /// <summary>Where the live refresh fetches the table (the same sort).</summary>
    public string? GridUrl => Url.Page("/Scanner", "Grid", new { Sort, Desc });

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnGetGridAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Partial("_ScannerGrid", this);
    }

    /// <summary>The heading's link: this column, descending first, flipped when it is already the sort.</summary>
    public string? SortUrl(string key) => Url.Page("/Scanner", new { sort = key, desc = key == Sort ? !Desc : key is not ("symbol" or "regime" or "idea") });

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var status = await mediator.Send(new GetIngestionStatus(), cancellationToken);
        var rows = new List<ScannerRow>(status.WatchList.Count);
        foreach (var symbol in status.WatchList)
        {
            var latest = await mediator.Send(new GetLatestAnalysis(symbol), cancellationToken);
            rows.Add(Row(symbol, latest));
        }

        var column = Columns.FirstOrDefault(c => c.Key == Sort);
        if (column.Key is null)
        {
            (Sort, column) = ("gex", Columns[2]);
        }

        // Rows without the value last, whichever the direction.
        var known = rows.Where(r => column.Value(r) is not null);
        var sorted = Desc ? known.OrderByDescending(column.Value) : known.OrderBy(column.Value);
        Rows = [.. sorted.ThenBy(r => r.Symbol, StringComparer.Ordinal), .. rows.Where(r => column.Value(r) is null).OrderBy(r => r.Symbol, StringComparer.Ordinal)];
    }

    internal static ScannerRow Row(string symbol, LatestAnalysis? latest)
    {
        if (latest?.Analysis is not { } a)
        {
            return new ScannerRow(symbol, null, null, null, null, null, null, null, null, null, null, null, null, null, false);
        }

        var zeroGamma = a.Metrics.KeyLevels.ZeroGamma;
        return new ScannerRow(symbol, a.Spot, a.Metrics.Exposures.GexTotal, zeroGamma, zeroGamma is { } z && a.Spot > 0 ? (a.Spot - z) / a.Spot : null,
            a.Metrics.Volatility.IvRank, a.Metrics.Volatility.AtmIv, a.Flow?.Score, a.Regime is { } r ? r.Name ?? r.Regime.ToString() : null,
            a.Meta.Bias, a.Meta.Conviction, a.Meta.Idea?.Strategy, a.Meta.Idea is null ? a.Meta.NoIdea : null, a.AsOf, latest.IsStale);
    }
}
