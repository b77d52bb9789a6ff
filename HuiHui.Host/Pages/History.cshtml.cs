using System.Globalization;
using CsvHelper;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>Past expert responses: filter by symbol, expert and time range; page; export the filtered set as CSV.</summary>
internal sealed class HistoryModel(IMediator mediator, TimeProvider time) : PageModel
{
    /// <summary>The export stops here; narrow the filter for more.</summary>
    public const int MaxExportRows = 100_000;

    [BindProperty(SupportsGet = true)]
    public string? Symbol { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Expert { get; set; }

    /// <summary>UTC, as the browser's datetime-local input sends it.</summary>
    [BindProperty(SupportsGet = true)]
    public DateTime? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public ExpertHistoryPage? Results { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            Results = await mediator.Send(Query(Math.Max(1, PageNumber), 50), cancellationToken);
        }
        catch (RequestValidationException exception)
        {
            Problem = exception.Message;
        }
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        // Validate before the first byte: a bad filter is a 400 with the reason, not a broken download.
        ExpertHistoryPage first;
        try
        {
            first = await mediator.Send(Query(1, 1000), cancellationToken);
        }
        catch (RequestValidationException exception)
        {
            return BadRequest(exception.Message);
        }

        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"huihui-history-{time.GetUtcNow():yyyyMMdd-HHmmss}.csv\"";
        await using var writer = new StreamWriter(Response.Body);
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        csv.WriteField("as_of");
        csv.WriteField("symbol");
        csv.WriteField("expert");
        csv.WriteField("call");
        csv.WriteField("confidence");
        csv.WriteField("cycle_id");
        csv.WriteField("details");
        await csv.NextRecordAsync();
        var page = first;
        var written = 0;
        while (true)
        {
            foreach (var row in page.Rows)
            {
                csv.WriteField(row.AsOf.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                csv.WriteField(row.Symbol);
                csv.WriteField(row.Expert);
                csv.WriteField(row.Call);
                csv.WriteField(row.Confidence);
                csv.WriteField(row.CycleId);
                csv.WriteField(row.Details);
                await csv.NextRecordAsync();
            }

            written += page.Rows.Count;
            if (page.Page >= page.Pages || written >= MaxExportRows)
            {
                break;
            }

            page = await mediator.Send(Query(page.Page + 1, 1000), cancellationToken);
        }

        return new EmptyResult();
    }

    public string? PageLink(int page) => Url.Page("/History", new { Symbol, Expert, From = From?.ToString("yyyy-MM-ddTHH:mm"), To = To?.ToString("yyyy-MM-ddTHH:mm"), p = page });

    public string? CsvLink => Url.Page("/History", "Csv", new { Symbol, Expert, From = From?.ToString("yyyy-MM-ddTHH:mm"), To = To?.ToString("yyyy-MM-ddTHH:mm") });

    private static readonly DateTimeOffset OpenEnd = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private GetExpertHistory Query(int page, int size)
    {
        // Without a range: everything, newest first. Market time (as-of) need not be near the wall clock (replays, the
        // accelerated simulator), so "the last day by the wall clock" would hide data.
        var from = From is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f, DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch;
        var to = To is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : OpenEnd;
        return new GetExpertHistory(Symbol, string.IsNullOrEmpty(Expert) ? null : Expert, from, to, page, size);
    }
}
