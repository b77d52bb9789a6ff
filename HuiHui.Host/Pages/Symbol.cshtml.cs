using System.Text.Json;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>What the symbol page's charts draw (serialised into the page; hub.js reads it).</summary>
internal sealed record SymbolCharts(
    double Spot,
    double? ZeroGamma,
    double? CallWall,
    double? PutWall,
    IReadOnlyList<double[]> Gex,
    IReadOnlyList<SmileSeries> Smile,
    IReadOnlyList<TermPoint> Term,
    CompassChart? Compass);

/// <summary>The compass radar: axis names, this reading's scaled values and the previous one's (null where not scaled yet).</summary>
internal sealed record CompassChart(IReadOnlyList<string> Axes, IReadOnlyList<double?> Now, IReadOnlyList<double?> Previous);

internal sealed record SmileSeries(string Expiry, IReadOnlyList<double[]> Points);

internal sealed record TermPoint(string Expiry, double Days, double Iv);

/// <summary>One symbol: the Market Compass and the expert panels, refreshed by the analysis push.</summary>
internal sealed class SymbolModel(IMediator mediator, TimeProvider time, UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn) : PageModel
{
    private static readonly JsonSerializerOptions ChartJson = new(JsonSerializerDefaults.Web);

    /// <summary>Strikes beyond this distance from spot are left off the GEX chart.</summary>
    private const double GexWindow = 0.15;

    [FromRoute]
    public string Symbol { get; set; } = "";

    /// <summary><c>?mode=</c>: which tab of panels to show (<see cref="SymbolModes"/>); kept in the URL so a view can be shared.</summary>
    [FromQuery(Name = "mode")]
    public string? ModeKey { get; set; }

    public SymbolMode Mode => SymbolModes.Find(ModeKey);

    /// <summary>Why <c>?mode=</c> was not used, when it names no mode.</summary>
    public string? ModeProblem => string.IsNullOrWhiteSpace(ModeKey) || string.Equals(Mode.Key, ModeKey.Trim(), StringComparison.OrdinalIgnoreCase)
        ? null
        : $"There is no mode '{ModeKey}'; showing {Mode.Title}. Modes: {string.Join(", ", SymbolModes.All.Select(m => m.Key))}.";

    /// <summary>Whether the current mode shows the panel named <paramref name="panel"/>.</summary>
    public bool Shows(string panel) => Mode.Panels.Contains(panel);

    /// <summary>The order of <paramref name="panel"/> in the current mode (CSS order), so each mode leads with its own panel.</summary>
    public int Order(string panel) => Mode.Panels.TakeWhile(p => p != panel).Count();

    public LatestAnalysis? Latest { get; private set; }

    public IngestionStatus Ingestion { get; private set; } = null!;

    public string ChartsJson { get; private set; } = "null";

    public DateTimeOffset Now { get; private set; }

    public bool OnWatchList => Ingestion.WatchList.Contains(Symbol, StringComparer.OrdinalIgnoreCase);

    /// <summary>The analyst's own slice (days to expiry, strike range), kept as a claim of the user's account; null = the configured one.</summary>
    public ChainSlice? Slice { get; private set; }

    /// <summary>The slice as typed, for the form.</summary>
    public string SliceDte { get; private set; } = "";

    public string SliceRange { get; private set; } = "";

    /// <summary>Why the slice could not be used (bad bounds, or no contract inside it).</summary>
    public string? SliceProblem { get; private set; }

    /// <summary>The user claim holding the slice as <c>DTE|RANGE</c>; it travels in the sign-in cookie, refreshed when it changes.</summary>
    public const string SliceClaim = "huihui:slice";

    /// <summary>The alert kinds the user is subscribed to on this symbol.</summary>
    public IReadOnlySet<string> Subscribed { get; private set; } = new HashSet<string>();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!IsValidSymbol(Symbol))
        {
            return NotFound();
        }

        await LoadAsync(cancellationToken);
        if (users.GetUserId(User) is { } userId)
        {
            Subscribed = (await mediator.Send(new GetAlertSubscriptions(userId), cancellationToken))
                .Where(s => s.Symbol == Symbol).Select(s => s.Kind).ToHashSet(StringComparer.Ordinal);
        }

        return Page();
    }

    /// <summary>Saves the user's alert kinds on this symbol (none: unsubscribed), then shows the page again in the same mode.</summary>
    public async Task<IActionResult> OnPostAlertsAsync([FromForm] string[] kinds, CancellationToken cancellationToken)
    {
        if (!IsValidSymbol(Symbol) || users.GetUserId(User) is not { } userId)
        {
            return NotFound();
        }

        Symbol = Symbol.ToUpperInvariant();
        try
        {
            await mediator.Send(new SetAlertSubscriptions(userId, Symbol, kinds), cancellationToken);
        }
        catch (HuiHui.Modules.Shared.Contracts.RequestValidationException invalid)
        {
            return BadRequest(invalid.Message); // a hand-made form: say which kind is unknown, keep what was saved
        }

        return RedirectToPage("/Symbol", new { symbol = Symbol, mode = Mode.Key == "main" ? null : Mode.Key });
    }

    public async Task<IActionResult> OnGetPanelsAsync(CancellationToken cancellationToken)
    {
        if (!IsValidSymbol(Symbol))
        {
            return NotFound();
        }

        await LoadAsync(cancellationToken);
        return Partial("_SymbolPanels", this);
    }

    /// <summary>
    /// <c>?dte=0-5&amp;range=5</c> sets the user's slice (saved with their account, so it follows them to any browser and
    /// through the live panel refreshes); <c>?dte=&amp;range=</c> clears it. Without the query, the saved slice applies.
    /// </summary>
    private async Task ReadSliceAsync()
    {
        string dte, range;
        if (Request.Query.ContainsKey("dte") || Request.Query.ContainsKey("range"))
        {
            (dte, range) = (Request.Query["dte"].ToString().Trim(), Request.Query["range"].ToString().Trim());
            await SaveSliceAsync(dte.Length == 0 && range.Length == 0 ? null : $"{dte}|{range}");
        }
        else if (User.FindFirst(SliceClaim)?.Value.Split('|') is [var savedDte, var savedRange])
        {
            (dte, range) = (savedDte, savedRange);
        }
        else
        {
            return;
        }

        (SliceDte, SliceRange) = (dte, range);
        if (SliceDte.Length == 0 && SliceRange.Length == 0)
        {
            return;
        }

        if (ChainSlice.TryParse(SliceDte, SliceRange, out var slice, out var problem))
        {
            Slice = slice;
        }
        else
        {
            SliceProblem = problem;
        }
    }

    private async Task SaveSliceAsync(string? value)
    {
        if (User.FindFirst(SliceClaim)?.Value == value || await users.GetUserAsync(User) is not { } user)
        {
            return;
        }

        var saved = (await users.GetClaimsAsync(user)).Where(c => c.Type == SliceClaim).ToList();
        if (saved.Count > 0)
        {
            await users.RemoveClaimsAsync(user, saved);
        }

        if (value is not null)
        {
            await users.AddClaimAsync(user, new System.Security.Claims.Claim(SliceClaim, value));
        }

        await signIn.RefreshSignInAsync(user);
    }

    private static bool IsValidSymbol(string symbol) => symbol.Length is > 0 and <= 16 && symbol.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '^');

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Symbol = Symbol.ToUpperInvariant();
        Now = time.GetUtcNow();
        Ingestion = await mediator.Send(new GetIngestionStatus(), cancellationToken);
        Latest = await mediator.Send(new GetLatestAnalysis(Symbol), cancellationToken);
        await ReadSliceAsync();
        if (Latest is not null && Slice is { } slice)
        {
            try
            {
                Latest = Latest with { Analysis = await mediator.Send(new AnalyzeSymbol(Symbol, null, slice), cancellationToken) };
            }
            catch (EmptySliceException error)
            {
                SliceProblem = error.Message;
            }
        }

        if (Latest is { Analysis: var analysis })
        {
            var smile = await mediator.Send(new GetVolatilitySmile(Symbol), cancellationToken);
            ChartsJson = JsonSerializer.Serialize(Charts(analysis, smile), ChartJson);
        }
    }

    private static SymbolCharts Charts(Analysis analysis, VolatilitySmile? smile)
    {
        var spot = analysis.Spot;
        var levels = analysis.Meta.Levels;
        var gex = analysis.Metrics.Exposures.ByStrike
            .Where(s => Math.Abs(s.Strike / spot - 1) <= GexWindow)
            .Select(s => new[] { s.Strike, s.NetGex, s.CallGex, s.PutGex })
            .ToList();
        var curves = smile?.Curves.Select(c => new SmileSeries(c.Expiry.ToString("yyyy-MM-dd"), c.Points.Select(p => new[] { p.Strike, p.Iv }).ToList())).ToList() ?? [];
        var term = analysis.Metrics.Volatility.Term.Select(t => new TermPoint(t.Expiry.ToString("yyyy-MM-dd"), Math.Round(t.Years * 365, 1), t.AtmIv)).ToList();
        var compass = analysis.Compass is { } c
            ? new CompassChart([.. c.Axes.Select(x => x.Name)], [.. c.Axes.Select(x => x.Scaled)], [.. c.Axes.Select(x => x.Previous)])
            : null;
        return new SymbolCharts(spot, levels.ZeroGamma, levels.CallWall, levels.PutWall, gex, curves, term, compass);
    }
}
