using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;

namespace HuiHui.Host.Identity;

/// <summary>
/// Login and roles for the hub: Identity with EF Core stores (schema <c>identity</c>), a cookie that is HTTP-only,
/// SameSite=Strict and Secure outside Development/Testing, a policy per role, and authentication required everywhere
/// unless a page or endpoint says otherwise.
/// </summary>
internal static class HubSecurity
{
    public static IServiceCollection AddHubSecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<HubOptions>().Bind(configuration.GetSection(HubOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddIdentity<IdentityUser, IdentityRole>(identity =>
            {
                identity.Password.RequiredLength = 12;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                identity.User.RequireUniqueEmail = true;
            })
            .AddEntityFrameworkStores<HuiHuiIdentityDbContext>()
            .AddDefaultTokenProviders();

        var timeout = configuration.GetSection(HubOptions.Section).GetValue(nameof(HubOptions.SessionTimeout), TimeSpan.FromHours(8));
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "huihui.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/Account/Login";
            cookie.LogoutPath = "/Account/Logout";
            cookie.ExpireTimeSpan = timeout;
            cookie.SlidingExpiration = true;
            cookie.Events = new CookieAuthenticationEvents
            {
                // A signed-in user without the role gets 403 and the status page, not a redirect loop to a login they already have.
                OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                },
                // Scripts (SignalR negotiation, fetch) get 401 instead of an HTML login page.
                OnRedirectToLogin = context =>
                {
                    if (IsScriptRequest(context.Request))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        DisableStatusPage(context.HttpContext);
                    }
                    else
                    {
                        context.Response.Redirect(context.RedirectUri);
                    }

                    return Task.CompletedTask;
                },
            };
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "huihui.af";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(HubRoles.Admin, policy => policy.RequireRole(HubRoles.Admin))
            .AddPolicy(HubRoles.Analyst, policy => policy.RequireRole(HubRoles.Analyst, HubRoles.Admin));
        services.AddHostedService<FirstAdminSeeder>();
        return services;
    }

    /// <summary>Headers every response carries. Charts and SignalR come from this origin only (no CDN).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            // Hangfire's dashboard ships inline scripts; every other page runs only scripts from wwwroot.
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/hangfire")
                ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
                : "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";
            return next(context);
        });

    /// <summary>Scripts get the bare status, not the HTML status page.</summary>
    private static void DisableStatusPage(HttpContext context)
    {
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }
    }

    private static bool IsScriptRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/api")
        || request.Headers.XRequestedWith == "XMLHttpRequest" || request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal);
}
