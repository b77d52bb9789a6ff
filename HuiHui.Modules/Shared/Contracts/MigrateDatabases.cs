using Mediator;

namespace HuiHui.Modules.Shared.Contracts;

/// <summary>Applies every module's pending migrations, in registration order.</summary>
public sealed record MigrateDatabases : ICommand<MigrationReport>;

/// <summary>Reports which migrations are still pending, per module, without applying them.</summary>
public sealed record GetMigrationStatus : IQuery<MigrationReport>;

public sealed record MigrationReport(IReadOnlyList<ModuleMigrations> Modules)
{
    public int AppliedCount => Modules.Sum(m => m.Migrations.Count);
}

/// <param name="Module">Module name.</param>
/// <param name="Schemas">Schemas the module owns.</param>
/// <param name="Migrations">Applied by this call (for <see cref="MigrateDatabases"/>) or pending (for <see cref="GetMigrationStatus"/>).</param>
public sealed record ModuleMigrations(string Module, IReadOnlyList<string> Schemas, IReadOnlyList<string> Migrations);
