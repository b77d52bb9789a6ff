using HuiHui.Host.Identity;
using HuiHui.Modules.Education.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages.Education;

/// <summary>Search the education corpus, list its documents, and (admins) upload one.</summary>
[RequestSizeLimit(MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes)]
internal sealed partial class IndexModel(IMediator mediator, ILogger<IndexModel> logger) : PageModel
{
    /// <summary>Largest upload the form accepts; the module's own limit (HuiHui:Education:MaxFileBytes) applies too.</summary>
    public const long MaxUploadBytes = 64L * 1024 * 1024;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true)]
    public DocumentType? Type { get; set; }

    public SearchResults? Results { get; private set; }

    public IReadOnlyList<DocumentSummary> Documents { get; private set; } = [];

    public string? Problem { get; private set; }

    /// <summary>The ingest running in this process, or the last one (shown to admins).</summary>
    public IngestProgressView? Progress { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(Query))
        {
            try
            {
                Results = await mediator.Send(new SearchDocuments(Query.Trim(), 10, Types: Type is { } type ? [type] : null), cancellationToken);
            }
            catch (RequestValidationException exception)
            {
                Problem = exception.Message;
            }
        }

        Documents = await mediator.Send(new ListDocuments(200), cancellationToken);
        if (User.IsInRole(HubRoles.Admin))
        {
            Progress = await mediator.Send(new GetIngestProgress(), cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, string? tags, CancellationToken cancellationToken)
    {
        if (!User.IsInRole(HubRoles.Admin))
        {
            return Forbid();
        }

        if (file is null || file.Length == 0)
        {
            Message = "Choose a file to upload (it was missing or empty).";
            return RedirectToPage();
        }

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        var tagList = (tags ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try
        {
            var result = await mediator.Send(new UploadDocument(Path.GetFileName(file.FileName), buffer.ToArray(), tagList), cancellationToken);
            Message = result.Outcome == "skipped"
                ? $"{file.FileName} was not added: {result.Reason}"
                : $"{file.FileName}: {result.Outcome} ({result.Chunks} passages).";
            LogUploaded(logger, User.Identity?.Name, file.FileName, result.Outcome, result.Reason);
        }
        catch (RequestValidationException exception)
        {
            Message = $"{file.FileName} was not added: {exception.Message}";
        }

        return RedirectToPage();
    }

    /// <summary>The snippet with only the search engine's &lt;mark&gt; tags kept: the document's own markup is shown as text.</summary>
    public static HtmlString Highlight(string snippet)
    {
        var encoded = System.Net.WebUtility.HtmlEncode(snippet);
        return new HtmlString(encoded.Replace("&lt;mark&gt;", "<mark>", StringComparison.Ordinal).Replace("&lt;/mark&gt;", "</mark>", StringComparison.Ordinal));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Education: {Admin} uploaded {File}: {Outcome} {Reason}")]
    private static partial void LogUploaded(ILogger logger, string? admin, string file, string outcome, string? reason);
}
