using System.Security.Cryptography;
using HuiHui.Host.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HuiHui.Host.Identity;

/// <summary>
/// Creates the roles and, when no admin exists yet, the first admin from <see cref="HubOptions"/>. Retries with
/// back-off while the database is down or not migrated yet, then stops: it has nothing to do after that.
/// </summary>
internal sealed partial class FirstAdminSeeder(
    IServiceScopeFactory scopes,
    IOptions<HubOptions> options,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<FirstAdminSeeder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken) =>
        await StartupRetry.Pipeline(time, (error, delay) => LogRetrying(logger, error.GetBaseException().Message, delay))
            .ExecuteAsync(SeedAsync, stoppingToken);

    internal async ValueTask SeedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        // Several nodes start on one database: one seeds at a time (the others then find the roles and the admin).
        var database = scope.ServiceProvider.GetRequiredService<HuiHuiIdentityDbContext>().Database;
        await using var transaction = await database.BeginTransactionAsync(cancellationToken);
        await database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('identity.first_admin'))", cancellationToken);
        await SeedLockedAsync(scope.ServiceProvider, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async ValueTask SeedLockedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in HubRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await CreateRoleAsync(roles, role);
            }
        }

        var users = services.GetRequiredService<UserManager<IdentityUser>>();
        if ((await users.GetUsersInRoleAsync(HubRoles.Admin)).Count > 0)
        {
            return;
        }

        var settings = options.Value;
        var password = settings.AdminPassword;
        var generated = false;
        if (string.IsNullOrEmpty(password))
        {
            if (!environment.IsDevelopment())
            {
                LogNoAdmin(logger, settings.AdminEmail);
                return;
            }

            password = GeneratePassword();
            generated = true;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var user = await users.FindByNameAsync(settings.AdminEmail);
        if (user is null)
        {
            user = new IdentityUser { UserName = settings.AdminEmail, Email = settings.AdminEmail, EmailConfirmed = true };
            Check(await users.CreateAsync(user, password), $"creating the first admin {settings.AdminEmail}");
        }

        Check(await users.AddToRolesAsync(user, HubRoles.All), $"giving {settings.AdminEmail} the Admin role");
        LogAdminCreated(logger, settings.AdminEmail);
        if (generated)
        {
            // Printed once, on the console only: the next start finds the admin and prints nothing.
            Console.WriteLine($"""

                ==== HuiHui first admin (Development) ====
                  user:     {settings.AdminEmail}
                  password: {password}
                Shown once. Set HuiHui__Hub__AdminPassword to choose it yourself.
                ==========================================

                """);
        }
    }

    /// <summary>Another instance starting on the same database may create the role at the same moment: then it exists.</summary>
    private static async Task CreateRoleAsync(RoleManager<IdentityRole> roles, string role)
    {
        bool created;
        try
        {
            created = (await roles.CreateAsync(new IdentityRole(role))).Succeeded;
        }
        catch (DbUpdateException)
        {
            created = false;
        }

        if (!created && !await roles.RoleExistsAsync(role))
        {
            throw new InvalidOperationException($"creating role {role} failed");
        }
    }

    /// <summary>20 characters from upper, lower, digits and symbols, at least one of each (Identity's default rules).</summary>
    internal static string GeneratePassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz", digits = "23456789", symbols = "!@#$%^&*-_=+";
        var chars = new List<char>
        {
            upper[RandomNumberGenerator.GetInt32(upper.Length)],
            lower[RandomNumberGenerator.GetInt32(lower.Length)],
            digits[RandomNumberGenerator.GetInt32(digits.Length)],
            symbols[RandomNumberGenerator.GetInt32(symbols.Length)],
        };
        const string all = upper + lower + digits + symbols;
        while (chars.Count < 20)
        {
            chars.Add(all[RandomNumberGenerator.GetInt32(all.Length)]);
        }

        var array = chars.ToArray();
        RandomNumberGenerator.Shuffle(array.AsSpan());
        return new string(array);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{what} failed: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not seed the hub's roles and first admin yet ({Problem}); retrying in {Delay}.")]
    private static partial void LogRetrying(ILogger logger, string problem, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "No admin exists and HuiHui:Hub:AdminPassword is not set: set HuiHui__Hub__AdminPassword (user {Email}) and restart to create the first admin.")]
    private static partial void LogNoAdmin(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first admin {Email}.")]
    private static partial void LogAdminCreated(ILogger logger, string email);
}
