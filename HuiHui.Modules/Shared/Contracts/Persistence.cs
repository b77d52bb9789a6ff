namespace HuiHui.Modules.Shared.Contracts;

/// <summary>
/// One schema's worth of migrations. Each module (and the host, for Identity and Hangfire)
/// registers one; <see cref="MigrateDatabases"/> applies them all.
/// </summary>
public interface IModuleDatabase
{
    /// <summary>Module name as shown to users (lower-case, e.g. <c>experts</c>).</summary>
    string Module { get; }

    /// <summary>The PostgreSQL schemas this database owns.</summary>
    IReadOnlyList<string> Schemas { get; }

    /// <summary>Names of migrations not yet applied.</summary>
    Task<IReadOnlyList<string>> GetPendingMigrationsAsync(CancellationToken cancellationToken);

    /// <summary>Applies pending migrations and returns their names (empty when up to date).</summary>
    Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>Settings under <c>HuiHui:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "HuiHui:Database";

    /// <summary>Apply migrations when the host starts. Unset means: only in Development.</summary>
    public bool? MigrateOnStartup { get; set; }

    /// <summary>How long one connectivity probe may take.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The most connections this node opens (Npgsql's <c>Maximum Pool Size</c>), unless the connection string says
    /// otherwise: a managed database's pooler (Supabase, PgBouncer) gives each client a fixed share. 20 by default.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(2, 1000)]
    public int MaxPoolSize { get; set; } = 20;
}
