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

    /// <summary>The archived chain to show (the day's replay); null for the latest snapshot, refreshed live.</summary>
    [BindProperty(SupportsGet = true)]
    public DateTimeOffset? At { get; set; }

    /// <summary>The times of the chains archived on the shown snapshot's day: the replay slider's steps (the last step after them is live).</summary>
    public IReadOnlyList<DateTimeOffset> Times { get; private set; } = [];

    /// <summary>The slider's position: the index of <see cref="At"/> in <see cref="Times"/>, or <c>Times.Count</c> for live.</summary>
    public int Frame => At is { } at && Times.Select((t, i) => (t, i)).FirstOrDefault(x => x.t == at) is { t: var found, i: var index } && found == at ? index : Times.Count;

    /// <summary>The grid's URL without the time, for the replay slider to add it.</summary>
    public string? GridBaseUrl => Url.Page("/Heatmap", "Grid", new { symbol = Symbol, Kind, ByVolume, Range });

    public string TimesJson => JsonSerializer.Serialize(Times.Select(t => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The unit the cells are in, for the caption.</summary>
    public static string UnitOf(ExposureKind kind) => kind switch
    {
        ExposureKind.Gamma => "$ of delta per 1 % move",
        ExposureKind.Delta => "shares",
        ExposureKind.Vanna => "$ of delta per vol point",
        ExposureKind.Charm => "shares of delta per day",
        ExposureKind.Sgdhp => "$ per 1 % move, near spot, signed by the cell's delta",
        ExposureKind.Ivsdh => "vol points since the session's first archived chain",
        _ => "weighted z-scores",
    };

    public ExposureHeatmap? Map { get; private set; }

    public string? Problem { get; private set; }

    public string? GridUrl => Url.Page("/Heatmap", "Grid", new { symbol = Symbol, Kind, ByVolume, Range, At = At?.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) });

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
        unit = UnitOf(map.Kind),
    }, ChartJson);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Problem is null && (Map?.AsOf ?? At) is { } shown)
        {
            Times = await mediator.Send(new GetHeatmapTimes(Symbol, DateOnly.FromDateTime(shown.UtcDateTime)), cancellationToken);
        }
    }

    public async Task<IActionResult> OnGetGridAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Partial("_HeatmapChart", this);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Symbol = Symbol.Trim().ToUpperInvariant();
        if (!ModelState.IsValid)
        {
            // A value that does not bind would otherwise fall back silently to the default (gamma, the live snapshot).
            Problem = string.Join("; ", ModelState.Where(e => e.Value is { Errors.Count: > 0 }).Select(e => e.Key switch
            {
                nameof(Kind) => $"'{e.Value!.AttemptedValue}' is not a heatmap: use one of {string.Join(", ", Enum.GetNames<ExposureKind>())}",
                nameof(At) => $"'{e.Value!.AttemptedValue}' is not a time: use an ISO 8601 UTC time such as 2026-12-07T15:00:00Z",
                _ => $"'{e.Value!.AttemptedValue}' is not a valid {e.Key}",
            }));
            return;
        }

        try
        {
            Map = await mediator.Send(new GetExposureHeatmap(Symbol, Kind, ByVolume, Range, At), cancellationToken);
        }
        catch (RequestValidationException invalid)
        {
            Problem = invalid.Message;
        }
    }
}
