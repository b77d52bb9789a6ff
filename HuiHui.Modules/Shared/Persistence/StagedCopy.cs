using Npgsql;

namespace HuiHui.Modules.Shared.Persistence;

/// <summary>
/// The bulk write every writer uses: binary COPY into a temporary staging table shaped like the target (created once per
/// connection, emptied at commit), then one set-based statement from it into the real table — usually
/// <see cref="InsertNewAsync"/>, so rows written twice are stored once. All of it runs in the caller's transaction.
/// </summary>
internal static class StagedCopy
{
    /// <summary>The staging table of <paramref name="table"/> (<c>schema.name</c> → <c>stage_schema_name</c>).</summary>
    public static string Stage(string table) => "stage_" + table.Replace('.', '_');

    /// <summary>
    /// Copies <paramref name="rows"/> into <see cref="Stage"/>(<paramref name="table"/>), each written by <paramref name="write"/>
    /// in the order of <paramref name="columns"/>. <paramref name="definition"/> gives the staging columns when the target's
    /// shape cannot be copied (a generated or identity column the rows leave out); null copies the target's (<c>LIKE</c>).
    /// </summary>
    public static async Task<ulong> StageAsync<T>(NpgsqlConnection connection, string table, string columns, IEnumerable<T> rows,
        Func<NpgsqlBinaryImporter, T, CancellationToken, Task> write, CancellationToken cancellationToken, string? definition = null)
    {
        var stage = Stage(table);
        await using (var create = new NpgsqlCommand(
            $"CREATE TEMP TABLE IF NOT EXISTS {stage} ({definition ?? $"LIKE {table}"}) ON COMMIT DELETE ROWS; TRUNCATE {stage}", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return await CopyAsync(connection, stage, columns, rows, write, cancellationToken);
    }

    /// <summary>
    /// Binary COPY of <paramref name="rows"/> straight into <paramref name="table"/>: for rows that cannot be written twice
    /// in a way that matters (appended telemetry with a generated key); anything with a natural key goes through
    /// <see cref="StageAsync{T}"/> and <see cref="InsertNewAsync"/>.
    /// </summary>
    public static async Task<ulong> CopyAsync<T>(NpgsqlConnection connection, string table, string columns, IEnumerable<T> rows,
        Func<NpgsqlBinaryImporter, T, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(cancellationToken);
            await write(copy, row, cancellationToken);
        }

        return await copy.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Inserts the staged rows whose <paramref name="key"/> is new to <paramref name="table"/> (one per key: the first by
    /// <paramref name="newestFirst"/> when given, e.g. <c>created_at DESC</c>); returns the rows inserted.
    /// </summary>
    public static async Task<int> InsertNewAsync(NpgsqlConnection connection, string table, string columns, string key, CancellationToken cancellationToken, string? newestFirst = null)
    {
        var order = newestFirst is null ? key : $"{key}, {newestFirst}";
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO {table} ({columns}) SELECT DISTINCT ON ({key}) {columns} FROM {Stage(table)} ORDER BY {order} ON CONFLICT ({key}) DO NOTHING", connection);
        return await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
