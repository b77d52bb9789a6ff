using System.Globalization;
using System.Text.Json;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>Levels through the day: the underlying's minute prices with the walls, zero gamma and max pain as they moved, from stored history.</summary>
internal sealed class LevelsModel(IMediator mediator) : PageModel
{
    private static readonly JsonSerializerOptions ChartJson = new(JsonSerializerDefaults.Web);

    [BindProperty(SupportsGet = true)]
    public string Symbol { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public DateOnly? Day { get; set; }

    public LevelsTimeline? Timeline { get; private set; }

    public string? Problem { get; private set; }

    public string? GridUrl => Url.Page("/Levels", "Grid", new { symbol = Symbol, Day = Day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });

    /// <summary>[time ms, value] series for the chart: price (minute closes) and each level.</summary>
    public string ChartData => Timeline is not { } t ? "null" : JsonSerializer.Serialize(new
    {
        price = t.Bars.Select(b => new object[] { b.Start.ToUnixTimeMilliseconds(), b.Close }),
        zeroGamma = Series(t, r => r.ZeroGamma),
        callWall = Series(t, r => r.CallWall),
        putWall = Series(t, r => r.PutWall),
        maxPain = Series(t, r => r.MaxPain),
        hedgeWall = Series(t, r => r.HedgeWall),
        band = BandCells(t.Band),
    }, ChartJson);

    /// <summary>
    /// The net gamma band as rectangles [from ms, to ms, low strike, high strike, net GEX]: each archived chain holds until
    /// the next one (the last for the usual spacing), each strike from halfway to its neighbours.
    /// </summary>
    internal static List<double[]> BandCells(IReadOnlyList<GammaBandColumn> band)
    {
        var cells = new List<double[]>();
        var spacing = band.Count > 1 ? (band[^1].AsOf - band[0].AsOf) / (band.Count - 1) : TimeSpan.FromMinutes(5);
        for (var c = 0; c < band.Count; c++)
        {
            var start = band[c].AsOf.ToUnixTimeMilliseconds();
            var end = (c + 1 < band.Count ? band[c + 1].AsOf : band[c].AsOf + spacing).ToUnixTimeMilliseconds();
            var strikes = band[c].Strikes;
            for (var s = 0; s < strikes.Count; s++)
            {
                var strike = strikes[s][0];
                var below = s > 0 ? (strike + strikes[s - 1][0]) / 2 : strike - (s + 1 < strikes.Count ? (strikes[s + 1][0] - strike) / 2 : 0.5);
                var above = s + 1 < strikes.Count ? (strike + strikes[s + 1][0]) / 2 : strike + (s > 0 ? (strike - strikes[s - 1][0]) / 2 : 0.5);
                cells.Add([start, end, below, above, strikes[s][1]]);
            }
        }

        return cells;
    }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnGetGridAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Partial("_LevelsChart", this);
    }

    private static IEnumerable<object?[]> Series(LevelsTimeline t, Func<LevelsReading, double?> level) =>
        t.Readings.Select(r => new object?[] { r.AsOf.ToUnixTimeMilliseconds(), level(r) });

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Symbol = Symbol.Trim().ToUpperInvariant();
        try
        {
            Timeline = await mediator.Send(new GetLevelsTimeline(Symbol, Day), cancellationToken);
        }
        catch (RequestValidationException invalid)
        {
            Problem = invalid.Message;
        }
    }
}
