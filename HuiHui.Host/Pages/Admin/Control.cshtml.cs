using System.ComponentModel.DataAnnotations;
using HuiHui.Host.Identity;
using HuiHui.Modules.Ingestion.Contracts;
using HuiHui.Modules.Shared.Contracts;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages.Admin;

/// <summary>
/// Admins: the refresh interval, the watch-list, the provider order per symbol (all applied from the next cycle,
/// without restart) and the hub's users.
/// </summary>
internal sealed partial class ControlModel(IMediator mediator, UserManager<IdentityUser> users, ILogger<ControlModel> logger) : PageModel
{
    private static readonly char[] Separators = [',', ' ', ';', '\n', '\r', '\t'];

    public IngestionStatus Ingestion { get; private set; } = null!;

    public IReadOnlyList<(string Email, IList<string> Roles)> Users { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostIntervalAsync(double seconds, CancellationToken cancellationToken) =>
        ApplyAsync(new SetIngestionInterval(TimeSpan.FromSeconds(seconds)), $"Refresh interval set to {seconds:0.#} s.", cancellationToken);

    public Task<IActionResult> OnPostWatchListAsync(string? symbols, CancellationToken cancellationToken)
    {
        var list = (symbols ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries).Select(s => s.ToUpperInvariant()).Distinct().ToList();
        return ApplyAsync(new SetWatchList(list), $"Watch-list set to {(list.Count == 0 ? "nothing" : string.Join(", ", list))}.", cancellationToken);
    }

    public Task<IActionResult> OnPostProvidersAsync(string? symbol, string? providers, CancellationToken cancellationToken)
    {
        var list = (providers ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries).ToList();
        var upper = (symbol ?? "").Trim().ToUpperInvariant();
        return ApplyAsync(new SetSymbolProviders(upper, list), list.Count == 0 ? $"{upper} uses the default provider order again." : $"{upper} now uses {string.Join(" → ", list)}.", cancellationToken);
    }

    public async Task<IActionResult> OnPostAddUserAsync(NewUser input, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        var user = new IdentityUser { UserName = input.Email, Email = input.Email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, input.Password);
        if (created.Succeeded)
        {
            created = await users.AddToRolesAsync(user, input.Role == HubRoles.Admin ? HubRoles.All : [HubRoles.Analyst]);
        }

        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }

            await LoadAsync(cancellationToken);
            return Page();
        }

        LogUserAdded(logger, input.Email, input.Role, User.Identity?.Name);
        Message = $"{input.Email} can now log in as {input.Role}.";
        return RedirectToPage();
    }

    private async Task<IActionResult> ApplyAsync<TCommand>(TCommand command, string done, CancellationToken cancellationToken)
        where TCommand : ICommand
    {
        try
        {
            await mediator.Send(command, cancellationToken);
        }
        catch (RequestValidationException exception)
        {
            // Nothing changed: the current settings stay, and the page says what was wrong.
            ModelState.AddModelError(string.Empty, exception.Message);
            await LoadAsync(cancellationToken);
            return Page();
        }

        LogChanged(logger, User.Identity?.Name, done);
        Message = done;
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Ingestion = await mediator.Send(new GetIngestionStatus(), cancellationToken);
        var list = new List<(string, IList<string>)>();
        foreach (var user in users.Users.OrderBy(u => u.UserName).Take(200).ToList())
        {
            list.Add((user.UserName ?? user.Id, await users.GetRolesAsync(user)));
        }

        Users = list;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Control panel: {Admin}: {Change}")]
    private static partial void LogChanged(ILogger logger, string? admin, string change);

    [LoggerMessage(Level = LogLevel.Information, Message = "Control panel: {Admin} added {User} as {Role}")]
    private static partial void LogUserAdded(ILogger logger, string user, string role, string? admin);
}

internal sealed class NewUser
{
    [Required, EmailAddress]
    public string Email { get; set; } = "";

    [Required, MinLength(12)]
    public string Password { get; set; } = "";

    [Required, RegularExpression("Analyst|Admin", ErrorMessage = "Role must be Analyst or Admin")]
    public string Role { get; set; } = HubRoles.Analyst;
}
