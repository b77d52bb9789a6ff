using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

internal sealed class IndexModel(IMediator mediator) : PageModel
{
    public DatabaseStatus Database { get; private set; } = new(true, null, []);

    public async Task OnGetAsync(CancellationToken cancellationToken) => Database = await mediator.Send(new GetDatabaseStatus(), cancellationToken);
}
