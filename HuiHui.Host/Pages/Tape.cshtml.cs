using System.Globalization;
using CsvHelper;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>
/// The flow tape of a symbol: the trades its latest flow is built from (prints, or derived from volume changes), largest
/// premium, most contracts or newest first, blocks and sweeps marked, filtered by side, right and premium; refreshed on
/// every pushed analysis; the same filters as CSV.
/// </summary>
internal sealed class TapeModel(IMediator mediator) : PageModel
{
    /// <summary>Rows on the page; the CSV has every matching trade.</summary>
    public const int PageRows = 200;

    [BindProperty(SupportsGet = true)]
    public string Symbol { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public TapeOrder Order { get; set; } = TapeOrder.Premium;

    [BindProperty(SupportsGet = true)]
    public AggressorSide? Side { get; set; }

    [BindProperty(SupportsGet = true)]
    public OptionRight? Right { get; set; }

    [BindProperty(SupportsGet = true)]
    public double MinPremium { get; set; }

    public FlowTapeView? Tape { get; private set; }

    public string? Problem { get; private set; }

    public string? GridUrl => Url.Page("/Tape", "Grid", Filters);

    public string? CsvUrl => Url.Page("/Tape", "Csv", Filters);

    private object Filters => new { symbol = Symbol, Order, Side, Right, MinPremium };

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(PageRows, cancellationToken);

    public async Task<IActionResult> OnGetGridAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(PageRows, cancellationToken);
        return Partial("_TapeGrid", this);
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(100_000, cancellationToken);
        if (Tape is null)
        {
            return Problem is null ? NotFound($"no snapshot of {Symbol} is cached yet") : BadRequest(Problem);
        }

        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"huihui-tape-{Tape.Symbol}-{Tape.AsOf:yyyyMMdd-HHmmss}.csv\"";
        await using var writer = new StreamWriter(Response.Body);
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        foreach (var header in new[] { "time", "occ_symbol", "expiry", "strike", "right", "side", "size", "price", "premium", "block", "sweep" })
        {
            csv.WriteField(header);
        }

        await csv.NextRecordAsync();
        foreach (var t in Tape.Trades)
        {
            csv.WriteField(t.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            csv.WriteField(t.OccSymbol);
            csv.WriteField(t.Expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            csv.WriteField(t.Strike);
            csv.WriteField(t.Right == OptionRight.Call ? "call" : "put");
            csv.WriteField(t.Side.ToString().ToLowerInvariant());
            csv.WriteField(t.Size);
            csv.WriteField(t.Price);
            csv.WriteField(t.Premium);
            csv.WriteField(t.Block);
            csv.WriteField(t.Sweep);
            await csv.NextRecordAsync();
        }

        return new EmptyResult();
    }

    private async Task LoadAsync(int limit, CancellationToken cancellationToken)
    {
        Symbol = Symbol.Trim().ToUpperInvariant();
        try
        {
            Tape = await mediator.Send(new GetFlowTape(Symbol, Order, Side, Right, MinPremium, limit), cancellationToken);
        }
        catch (RequestValidationException invalid)
        {
            Problem = invalid.Message;
        }
    }
}
