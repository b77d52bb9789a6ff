using Mediator;

namespace HuiHui.Modules.Shared.Contracts;

/// <summary>Applies every module's pending migrations, in registration order.</summary>
public sealed record MigrateDatabases : ICommand<MigrationReport>;

/// <summary>Is PostgreSQL reachable, and which modules have migrations pending? Never throws for a database that is down.</summary>
public sealed record GetDatabaseStatus : IQuery<DatabaseStatus>;

public sealed record MigrationReport(IReadOnlyList<ModuleMigrations> Modules)
{
    public int AppliedCount => Modules.Sum(m => m.Migrations.Count);
}

/// <param name="Module">Module name.</param>
/// <param name="Schemas">Schemas the module owns.</param>
/// <param name="Migrations">Applied by this call (for <see cref="MigrateDatabases"/>) or pending (for <see cref="GetDatabaseStatus"/>).</param>
public sealed record ModuleMigrations(string Module, IReadOnlyList<string> Schemas, IReadOnlyList<string> Migrations);

/// <param name="Reachable">PostgreSQL answered.</param>
/// <param name="Problem">Why it did not, when it did not.</param>
/// <param name="Behind">Modules with pending migrations (empty when unreachable: unknown).</param>
public sealed record DatabaseStatus(bool Reachable, string? Problem, IReadOnlyList<ModuleMigrations> Behind)
{
    public bool UpToDate => Reachable && Behind.Count == 0;
}
