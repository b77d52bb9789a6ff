using HuiHui.Modules.Education.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages.Education;

/// <summary>One document of the corpus, passage by passage (a search hit links to its passage).</summary>
internal sealed class DocumentModel(IMediator mediator) : PageModel
{
    public DocumentView? View { get; private set; }

    public Guid? Highlighted { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, Guid? chunk, CancellationToken cancellationToken)
    {
        if (id is null == chunk is null)
        {
            return NotFound();
        }

        View = await mediator.Send(new GetDocument(id, chunk), cancellationToken);
        Highlighted = chunk;
        return View is null ? NotFound() : Page();
    }
}
