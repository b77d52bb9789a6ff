using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

/// <summary>The body of error statuses (re-executed by the status-code middleware; the status itself is kept).</summary>
[IgnoreAntiforgeryToken]
internal sealed class StatusModel : PageModel
{
    public int Code { get; private set; }

    public string Title => Code switch
    {
        403 => "Not allowed",
        404 => "Not found",
        _ => "Something went wrong",
    };

    public string Explanation => Code switch
    {
        403 => "This page is for admins. Ask an admin if you need it.",
        404 => "There is nothing at this address.",
        _ => "The hub could not answer this request; the log says why.",
    };

    public void OnGet(int code) => Code = code;

    /// <summary>A failed POST is re-executed as a POST: same body.</summary>
    public void OnPost(int code) => Code = code;
}
