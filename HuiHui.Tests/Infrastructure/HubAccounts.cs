using System.Net;
using System.Text.RegularExpressions;
using HuiHui.Host.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Infrastructure;

/// <summary>Hub users for tests, made through the product's own Identity stores, and logged-in clients.</summary>
internal static partial class HubAccounts
{
    public const string Password = "Correct-Horse-42!";
    public const string AnalystEmail = "analyst@huihui.test";
    public const string AdminEmail = "admin@huihui.test";

    public static async Task EnsureUsersAsync(IServiceProvider services)
    {
        // A host that just started seeds the roles itself at the same time: on a clash, look again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureUserAsync(services, AnalystEmail, HubRoles.Analyst);
                await EnsureUserAsync(services, AdminEmail, HubRoles.Analyst, HubRoles.Admin);
                return;
            }
            catch (Exception) when (attempt < 3)
            {
                await Task.Delay(200);
            }
        }
    }

    public static async Task EnsureUserAsync(IServiceProvider services, string email, params string[] roles)
    {
        await using var scope = services.CreateAsyncScope();
        var roleManager = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in HubRoles.All)
        {
            if (!await roleManager.RoleExistsAsync(role))
            {
                Check(await roleManager.CreateAsync(new IdentityRole(role)));
            }
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByNameAsync(email);
        if (user is null)
        {
            user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            Check(await users.CreateAsync(user, Password));
        }

        var missing = roles.Except(await users.GetRolesAsync(user)).ToList();
        if (missing.Count > 0)
        {
            Check(await users.AddToRolesAsync(user, missing));
        }
    }

    /// <summary>A client that keeps cookies and does not follow redirects, logged in as <paramref name="email"/> (or anonymous when null).</summary>
    public static async Task<HttpClient> ClientAsync(WebApplicationFactory<Program> factory, string? email)
    {
        // The default client knows where the host listens (the in-memory server, or Kestrel's loopback port).
        Uri baseAddress;
        using (var probe = factory.CreateClient())
        {
            baseAddress = probe.BaseAddress!;
        }

        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = baseAddress });
        if (email is null)
        {
            return client;
        }

        using var response = await PostLoginAsync(client, email, Password);
        // Over Kestrel the factory's client follows the redirect whatever the options say: then the page names the user.
        if (response.StatusCode != HttpStatusCode.Redirect && !(await response.Content.ReadAsStringAsync()).Contains("data-testid=\"user-name\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"login as {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return client;
    }

    /// <summary>Submits the login form as a browser would (token from the page first).</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "/Account/Login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = token,
        });
        return await client.PostAsync("/Account/Login", form);
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        var match = TokenPattern().Match(html);
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"no anti-forgery token on {page}");
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
