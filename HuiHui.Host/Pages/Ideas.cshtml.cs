using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>The record of the trade ideas: open ones with their latest mark, closed ones with outcome and R, and the scorecards.</summary>
internal sealed class IdeasModel(IMediator mediator) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Symbol { get; set; }

    public IdeaRecord? Record { get; private set; }

    public string? Problem { get; private set; }

    /// <summary>Where the live refresh fetches the record (the same filter).</summary>
    public string? RecordUrl => Url.Page("/Ideas", "Record", new { Symbol });

    /// <summary>The record alone, for the live refresh.</summary>
    public async Task<IActionResult> OnGetRecordAsync(CancellationToken cancellationToken)
    {
        await OnGetAsync(cancellationToken);
        return Record is null ? BadRequest(Problem ?? "no record") : Partial("_IdeasRecord", this);
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Market time need not be near the wall clock (replays, the accelerated simulator): the whole record by default.
            Record = await mediator.Send(new GetIdeaRecord(Symbol, DateTimeOffset.UnixEpoch, new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero), 100), cancellationToken);
        }
        catch (RequestValidationException exception)
        {
            Problem = exception.Message;
        }
    }

    public static string Legs(TradeIdea idea) =>
        string.Join(" / ", idea.Legs.Select(l => $"{(l.Side == LegSide.Buy ? "+" : "−")}{l.Quantity} {l.Expiry:MM-dd} {l.Strike:0.##}{(l.Right == OptionRight.Call ? "C" : "P")}"));

    public static string Stop(TradeIdea idea) =>
        idea.StopBelow is null && idea.StopAbove is null ? "at expiry"
            : string.Join(" / ", new[] { idea.StopBelow is { } b ? $"< {b:F2}" : null, idea.StopAbove is { } a ? $"> {a:F2}" : null }.Where(s => s is not null));

    public static string Money(double? value) => value is { } v ? v.ToString("+#,0.00;−#,0.00;0.00") : "–";
}
