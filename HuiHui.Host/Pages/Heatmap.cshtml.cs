using System.Text.Json;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>A symbol's exposure by strike and expiry (gamma, delta, vanna or charm; open interest or volume), spot marked; refreshed on every pushed analysis.</summary>
internal sealed class HeatmapModel(IMediator mediator) : PageModel
{
    private static readonly JsonSerializerOptions ChartJson = new(JsonSerializerDefaults.Web);

    [BindProperty(SupportsGet = true)]
    public string Symbol { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public ExposureKind Kind { get; set; } = ExposureKind.Gamma;

    [BindProperty(SupportsGet = true)]
    public bool ByVolume { get; set; }

    [BindProperty(SupportsGet = true)]
    public double Range { get; set; } = 10;

    public ExposureHeatmap? Map { get; private set; }

    public string? Problem { get; private set; }

    public string? GridUrl => Url.Page("/Heatmap", "Grid", new { symbol = Symbol, Kind, ByVolume, Range });

    /// <summary>What the chart draws: strikes, expiries, [strike index, expiry index, value] cells, the spot's place.</summary>
    public string ChartData => Map is not { } map ? "null" : JsonSerializer.Serialize(new
    {
        strikes = map.Strikes.Select(k => k.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)),
        expiries = map.Expiries.Select(e => e.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
        cells = map.Values.SelectMany((row, e) => row.Select((v, k) => new[] { k, e, v })),
        spot = map.Spot,
        spotIndex = map.Strikes.Count == 0 ? -1 : map.Strikes.Select((k, i) => (Distance: Math.Abs(k - map.Spot), i)).Min().i,
        kind = map.Kind.ToString().ToLowerInvariant(),
        byVolume = map.ByVolume,
    }, ChartJson);

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnGetGridAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Partial("_HeatmapChart", this);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Symbol = Symbol.Trim().ToUpperInvariant();
        try
        {
            Map = await mediator.Send(new GetExposureHeatmap(Symbol, Kind, ByVolume, Range), cancellationToken);
        }
        catch (RequestValidationException invalid)
        {
            Problem = invalid.Message;
        }
    }
}
