using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages;

internal sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<string> Pending { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Pending = [.. (await mediator.Send(new GetMigrationStatus(), cancellationToken)).Modules.Where(m => m.Migrations.Count > 0).Select(m => m.Module)];
}
