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
    }, ChartJson);

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
