using HuiHui.Modules.Shared.Contracts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HuiHui.Host.Identity;

/// <summary>ASP.NET Core Identity stores in schema <c>identity</c>, owned by the host.</summary>
internal sealed class HuiHuiIdentityDbContext(DbContextOptions<HuiHuiIdentityDbContext> options) : IdentityDbContext<IdentityUser>(options)
{
    public const string Schema = "identity";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
    }
}

internal sealed class IdentityDesignTimeFactory : IDesignTimeDbContextFactory<HuiHuiIdentityDbContext>
{
    public HuiHuiIdentityDbContext CreateDbContext(string[] args) => new(PersistenceRegistration.DesignTimeOptions<HuiHuiIdentityDbContext>(HuiHuiIdentityDbContext.Schema));
}
