using System.Globalization;
using CsvHelper;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>Past expert responses: filter by symbol, expert and time range; page newest first by keyset ("older" / "newer"); export the filtered set as CSV, streamed.</summary>
internal sealed class HistoryModel(IMediator mediator, TimeProvider time) : PageModel
{
    /// <summary>The export stops here; narrow the filter for more.</summary>
    public const int MaxExportRows = 1_000_000;

    [BindProperty(SupportsGet = true)]
    public string? Symbol { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Expert { get; set; }

    /// <summary>UTC, as the browser's datetime-local input sends it.</summary>
    [BindProperty(SupportsGet = true)]
    public DateTime? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? To { get; set; }

    /// <summary>The page just older than this cursor (<see cref="HistoryCursor"/>'s URL form).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Before { get; set; }

    /// <summary>The page just newer than this cursor.</summary>
    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    public ExpertHistoryPage? Results { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            HistoryCursor? cursor = null;
            var link = After ?? Before;
            if (link is not null && !HistoryCursor.TryParse(link, out cursor))
            {
                Problem = $"The page link is not valid ('{link}'); start again from the newest responses.";
                return;
            }

            Results = await mediator.Send(Query(cursor, newer: After is not null && cursor is not null, 50, details: false), cancellationToken);
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
            first = await mediator.Send(Query(null, newer: false, 1000, details: true), cancellationToken);
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
            if (page.Older is null || written >= MaxExportRows)
            {
                break;
            }

            await writer.FlushAsync(cancellationToken);
            page = await mediator.Send(Query(page.Older, newer: false, 1000, details: true), cancellationToken);
        }

        return new EmptyResult();
    }

    public string? OlderLink(HistoryCursor cursor) => Url.Page("/History", new { Symbol, Expert, From = From?.ToString("yyyy-MM-ddTHH:mm"), To = To?.ToString("yyyy-MM-ddTHH:mm"), Before = cursor.ToString() });

    public string? NewerLink(HistoryCursor cursor) => Url.Page("/History", new { Symbol, Expert, From = From?.ToString("yyyy-MM-ddTHH:mm"), To = To?.ToString("yyyy-MM-ddTHH:mm"), After = cursor.ToString() });

    public string? NewestLink => Url.Page("/History", new { Symbol, Expert, From = From?.ToString("yyyy-MM-ddTHH:mm"), To = To?.ToString("yyyy-MM-ddTHH:mm") });

    public string? CsvLink => Url.Page("/History", "Csv", new { Symbol, Expert, From = From?.ToString("yyyy-MM-ddTHH:mm"), To = To?.ToString("yyyy-MM-ddTHH:mm") });

    private static readonly DateTimeOffset OpenEnd = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private GetExpertHistory Query(HistoryCursor? cursor, bool newer, int size, bool details)
    {
        // Without a range: everything, newest first. Market time (as-of) need not be near the wall clock (replays, the
        // accelerated simulator), so "the last day by the wall clock" would hide data.
        var from = From is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f, DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch;
        var to = To is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : OpenEnd;
        return new GetExpertHistory(Symbol, string.IsNullOrEmpty(Expert) ? null : Expert, from, to, cursor, newer, size, details);
    }
}
