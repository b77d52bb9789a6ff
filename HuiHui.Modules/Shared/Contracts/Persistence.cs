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

/// <summary>Every background writer's figures since the start (expert responses, feature vectors, stats), for the Health page.</summary>
public sealed record GetWriterStatuses : Mediator.IQuery<IReadOnlyList<WriterStatus>>;

/// <summary>One background writer (<c>Shared/Persistence/SpooledBatchWriter</c>) since the start.</summary>
/// <param name="Name">The writer's name (its spool files and its <c>spool-full:NAME</c> alert).</param>
/// <param name="Dropped">Rows lost: refused by a full queue, or deleted from a full spool.</param>
/// <param name="Rejected">Rows refused as invalid, or by PostgreSQL (kept aside in the spool folder).</param>
/// <param name="SpoolBytes">Bytes waiting in the spool for PostgreSQL.</param>
public sealed record WriterStatus(string Name, long Written, int Queued, long Spooled, long SpoolBytes, long Dropped, long Rejected, bool DatabaseDown);
