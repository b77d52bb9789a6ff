using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HuiHui.Host.Pages.Account;

internal sealed partial class LoginModel(SignInManager<IdentityUser> signIn, ILogger<LoginModel> logger) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(Input.Email, Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            LogSignedIn(logger, Input.Email);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        LogRefused(logger, Input.Email, result.IsLockedOut);
        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? "This account is locked after too many failed attempts; try again in 15 minutes."
            : "Wrong e-mail or password.");
        return Page();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{User} logged in")]
    private static partial void LogSignedIn(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login refused for {User} (locked out: {LockedOut})")]
    private static partial void LogRefused(ILogger logger, string user, bool lockedOut);
}

internal sealed class LoginInput
{
    [Required, EmailAddress, Display(Name = "E-mail")]
    public string Email { get; set; } = "";

    [Required, DataType(DataType.Password)]
    public string Password { get; set; } = "";
}
