using System.Net;
using HuiHui.Host.Identity;
using HuiHui.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Hub;

public sealed class FirstAdminTests : DatabaseTest
{
    private const string FirstAdmin = "first.admin@huihui.test";

    [Test]
    public async Task Start_WithConfiguredAdminPassword_CreatesTheFirstAdminOnce_WhoCanOpenTheJobsDashboard()
    {
        var settings = new Dictionary<string, string?> { ["HuiHui:Hub:AdminEmail"] = FirstAdmin, ["HuiHui:Hub:AdminPassword"] = HubAccounts.Password };
        await using (var first = new HuiHuiFactory(Testing.ConnectionString, settings))
        {
            using var client = first.CreateClient();
            await Poller.UntilAsync(() => AdminsAsync(first.Services), admins => admins.Count == 1, TimeSpan.FromSeconds(20), "the first admin");
            using var admin = await HubAccounts.ClientAsync(first, FirstAdmin);
            using var jobs = await admin.GetAsync("/hangfire");
            Assert.That(jobs.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // A second start (another password configured) finds the admin and changes nothing.
        settings["HuiHui:Hub:AdminPassword"] = "Another-Password-99!";
        await using var second = new HuiHuiFactory(Testing.ConnectionString, settings);
        using var secondClient = second.CreateClient();
        var seeder = second.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<FirstAdminSeeder>().Single();
        await seeder.SeedAsync(CancellationToken.None);
        var admins = await AdminsAsync(second.Services);
        using var stillWorks = await HubAccounts.ClientAsync(second, FirstAdmin);
        Assert.That(admins.Select(a => a.UserName), Is.EqualTo(new[] { FirstAdmin }));
    }

    [Test]
    public async Task Start_OutsideDevelopmentWithoutPassword_CreatesRolesButNoAdmin()
    {
        await using var factory = new HuiHuiFactory(Testing.ConnectionString, new Dictionary<string, string?> { ["HuiHui:Hub:AdminEmail"] = FirstAdmin });
        await using var production = factory.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        using var client = production.CreateClient();
        var seeder = production.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<FirstAdminSeeder>().Single();

        // Run alongside the hosted seeder of the same start: both must come to the same end.
        await seeder.SeedAsync(CancellationToken.None);

        await using var scope = production.Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        Assert.That(await roles.RoleExistsAsync(HubRoles.Admin), Is.True);
        Assert.That(await roles.RoleExistsAsync(HubRoles.Analyst), Is.True);
        Assert.That(await AdminsAsync(production.Services), Is.Empty);
    }

    [Test]
    public async Task GeneratedPassword_PassesTheHubsPasswordRules()
    {
        await using var scope = Testing.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser("someone@huihui.test");

        for (var i = 0; i < 50; i++)
        {
            var password = FirstAdminSeeder.GeneratePassword();
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, user, password);
                Assert.That(result.Succeeded, Is.True, $"{password}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }
        }
    }

    private static async Task<IList<IdentityUser>> AdminsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(HubRoles.Admin))
        {
            return [];
        }

        return await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().GetUsersInRoleAsync(HubRoles.Admin);
    }
}
