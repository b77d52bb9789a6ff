using System.Globalization;
using System.Text.Json;
using HuiHui.Host.Hosting;
using HuiHui.Host.Identity;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>
/// Backtests started from the hub: admins queue one (a Hangfire job; one at a time), everyone reads the runs and a run's
/// report: the figures beside the baselines, the equity curve with its drawdown, the tables by strategy and regime, the ideas.
/// The runs refresh themselves when the job pushes its progress.
/// </summary>
internal sealed partial class BacktestsModel(IMediator mediator, ILogger<BacktestsModel> logger) : PageModel
{
    private static readonly JsonSerializerOptions ChartJson = new(JsonSerializerDefaults.Web);

    [BindProperty(SupportsGet = true)]
    public Guid? Id { get; set; }

    [BindProperty]
    public string Symbols { get; set; } = "SPY";

    [BindProperty]
    public string Source { get; set; } = "simulated";

    [BindProperty]
    public string? From { get; set; }

    [BindProperty]
    public string? To { get; set; }

    [BindProperty]
    public int? Every { get; set; }

    [TempData]
    public string? Message { get; set; }

    public IReadOnlyList<BacktestRun> Runs { get; private set; } = [];

    public BacktestRun? Selected { get; private set; }

    /// <summary>Where the live refresh fetches the runs and the selected report.</summary>
    public string? RunsUrl => Url.Page("/Backtests", "Runs", new { Id });

    /// <summary>The equity curve for the chart: [time, cumulative P&amp;L, −drawdown].</summary>
    public string EquityJson => JsonSerializer.Serialize(
        Selected?.Report?.Equity.Select(p => new object[] { p.At.ToUnixTimeMilliseconds(), p.Pnl, -p.Drawdown }) ?? [], ChartJson);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Runs = await mediator.Send(new GetBacktests(20), cancellationToken);
        var id = Id ?? Runs.FirstOrDefault(r => r.Status == "done")?.Id ?? (Runs.Count > 0 ? Runs[0].Id : null);
        Selected = id is { } chosen ? await mediator.Send(new GetBacktest(chosen), cancellationToken) : null;
    }

    /// <summary>The runs and the selected report alone, for the live refresh.</summary>
    public async Task<IActionResult> OnGetRunsAsync(CancellationToken cancellationToken)
    {
        await OnGetAsync(cancellationToken);
        return Partial("_BacktestRuns", this);
    }

    public async Task<IActionResult> OnPostStartAsync(CancellationToken cancellationToken)
    {
        if (!User.IsInRole(HubRoles.Admin))
        {
            return Forbid();
        }

        if (!TimeInput.TryParse(Blank(From), Blank(To), out var from, out var to, out var bad))
        {
            Message = "Not started: " + bad;
            return RedirectToPage();
        }

        try
        {
            var symbols = (Symbols ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var run = await mediator.Send(new StartBacktest(new RunBacktest(symbols, (Source ?? "").Trim(), from, to, Every is { } m ? TimeSpan.FromMinutes(m) : null), User.Identity!.Name!), cancellationToken);
            LogStarted(logger, User.Identity.Name, string.Join(",", run.Symbols), run.Source, run.Id);
            Message = $"Backtest of {string.Join(",", run.Symbols)} from {run.Source} queued.";
            return RedirectToPage(new { id = run.Id });
        }
        catch (RequestValidationException invalid)
        {
            Message = "Not started: " + string.Join("; ", invalid.Failures.Select(f => f.Message));
        }
        catch (RefusedRequestException refused)
        {
            Message = "Not started: " + refused.Message;
        }

        return RedirectToPage();
    }

    /// <summary>The baselines in the order the docs give them (the stored JSON keeps no order), any other after.</summary>
    public static IEnumerable<(string, BacktestSummary)> InOrder(IReadOnlyDictionary<string, BacktestSummary> baselines) =>
        baselines.OrderBy(b => Array.IndexOf(BaselineOrder, b.Key) is var i and >= 0 ? i : int.MaxValue).ThenBy(b => b.Key, StringComparer.Ordinal).Select(b => (b.Key, b.Value));

    private static readonly string[] BaselineOrder = ["rulesOnly", "alwaysLong", "random"];

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static string Signed(double? value, string format = "+0.00;−0.00;0.00") => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    [LoggerMessage(Level = LogLevel.Information, Message = "Backtest: {Admin} queued {Symbols} from {Source} ({Id})")]
    private static partial void LogStarted(ILogger logger, string? admin, string symbols, string source, Guid id);
}
