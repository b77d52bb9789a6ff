using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using HuiHui.Modules.Shared.Contracts;
using Npgsql;

namespace HuiHui.Modules.Shared.Persistence;

/// <summary>
/// Day partitions (UTC) of a <see cref="TimeSeriesTable"/>: <c>TABLE_pYYYYMMDD</c> holds <c>[day, day + 1)</c>,
/// <c>TABLE_default</c> whatever has no day partition yet. A day partition is created by moving that day's rows out of the
/// default partition into a new table and attaching it, under an advisory lock on the table, so writers, the upkeep job and
/// several nodes can all ask for the same day at once. Identifiers come from code (registrations), never from input.
/// </summary>
internal static class DailyPartitions
{
    // Days known to have a partition in this process: a writer asks the database once per table and day.
    private static readonly ConcurrentDictionary<(string Table, DateOnly Day), bool> Known = new();

    public static string PartitionName(string table, DateOnly day) => $"{table}_p{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    public static string DefaultName(string table) => $"{table}_default";

    public static DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    /// <summary>As <see cref="EnsureAsync(NpgsqlConnection, TimeSeriesTable, IEnumerable{DateTimeOffset}, CancellationToken)"/>, opening a connection only when a day is not known yet.</summary>
    public static async Task EnsureAsync(NpgsqlDataSource dataSource, TimeSeriesTable table, IReadOnlyCollection<DateTimeOffset> times, CancellationToken cancellationToken)
    {
        if (times.All(t => Known.ContainsKey((table.QualifiedName, DayOf(t)))))
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await EnsureAsync(connection, table, times, cancellationToken);
    }

    /// <summary>Makes sure every day of <paramref name="times"/> has its partition (asks the database only for days not seen yet).</summary>
    public static async Task EnsureAsync(NpgsqlConnection connection, TimeSeriesTable table, IEnumerable<DateTimeOffset> times, CancellationToken cancellationToken)
    {
        HashSet<DateOnly>? missing = null;
        foreach (var time in times)
        {
            var day = DayOf(time);
            if (!Known.ContainsKey((table.QualifiedName, day)))
            {
                (missing ??= []).Add(day);
            }
        }

        if (missing is null)
        {
            return;
        }

        foreach (var day in missing)
        {
            await CreateAsync(connection, table, day, cancellationToken);
        }
    }

    /// <summary>Makes sure every day found in a staging table's <paramref name="column"/> has its partition (before the staged rows are inserted).</summary>
    public static async Task EnsureForStageAsync(NpgsqlConnection connection, TimeSeriesTable table, string stage, string column, string? where, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT DISTINCT date_trunc('day', {column}, 'UTC') FROM {stage}{(where is null ? "" : " WHERE " + where)}", connection);
        var days = new List<DateTimeOffset>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                days.Add(reader.GetFieldValue<DateTimeOffset>(0));
            }
        }

        await EnsureAsync(connection, table, days, cancellationToken);
    }

    /// <summary>Creates the day's partition unless it exists, moving the day's rows out of the default partition; true when created.</summary>
    public static async Task<bool> CreateAsync(NpgsqlConnection connection, TimeSeriesTable table, DateOnly day, CancellationToken cancellationToken)
    {
        var name = PartitionName(table.Table, day);
        var (from, to) = Bounds(day);
        var sql = $$"""
            DO $$
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('{{table.QualifiedName}}'));
                IF to_regclass('{{table.Schema}}.{{name}}') IS NULL THEN
                    CREATE TABLE {{table.Schema}}.{{name}} (LIKE {{table.QualifiedName}} INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
                    WITH moved AS (DELETE FROM {{table.Schema}}.{{DefaultName(table.Table)}} WHERE {{table.Column}} >= '{{from}}' AND {{table.Column}} < '{{to}}' RETURNING *)
                    INSERT INTO {{table.Schema}}.{{name}} SELECT * FROM moved;
                    ALTER TABLE {{table.QualifiedName}} ATTACH PARTITION {{table.Schema}}.{{name}} FOR VALUES FROM ('{{from}}') TO ('{{to}}');
                    RAISE NOTICE 'created';
                END IF;
            END $$;
            """;
        var created = false;
        void OnNotice(object? sender, NpgsqlNoticeEventArgs e) => created |= e.Notice.MessageText == "created";
        connection.Notice += OnNotice;
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            connection.Notice -= OnNotice;
        }

        Known[(table.QualifiedName, day)] = true;
        return created;
    }

    /// <summary>The table's day partitions, oldest first, with PostgreSQL's row estimate for each.</summary>
    public static async Task<IReadOnlyList<(string Name, DateOnly Day, long EstimatedRows)>> ListAsync(NpgsqlConnection connection, TimeSeriesTable table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT c.relname, c.reltuples::bigint
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = to_regclass(@parent)
            """, connection);
        command.Parameters.AddWithValue("parent", table.QualifiedName);
        var partitions = new List<(string, DateOnly, long)>();
        var prefix = table.Table + "_p";
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                if (name.StartsWith(prefix, StringComparison.Ordinal)
                    && DateOnly.TryParseExact(name[prefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    partitions.Add((name, day, reader.GetInt64(1)));
                }
            }
        }

        partitions.Sort((a, b) => a.Item2.CompareTo(b.Item2));
        return partitions;
    }

    /// <summary>Days that have rows parked in the default partition.</summary>
    public static async Task<IReadOnlyList<DateOnly>> DefaultDaysAsync(NpgsqlConnection connection, TimeSeriesTable table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT DISTINCT ({table.Column} AT TIME ZONE 'UTC')::date FROM {table.Schema}.{DefaultName(table.Table)}", connection);
        var days = new List<DateOnly>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            days.Add(reader.GetFieldValue<DateOnly>(0));
        }

        return days;
    }

    /// <summary>Drops a day partition (constant time: the rows are not visited).</summary>
    public static async Task DropAsync(NpgsqlConnection connection, TimeSeriesTable table, DateOnly day, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DROP TABLE IF EXISTS {table.Schema}.{PartitionName(table.Table, day)}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        Known.TryRemove((table.QualifiedName, day), out _);
    }

    /// <summary>Deletes rows older than <paramref name="before"/> from the default partition (it holds few, if any).</summary>
    public static async Task<long> DeleteFromDefaultAsync(NpgsqlConnection connection, TimeSeriesTable table, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DELETE FROM {table.Schema}.{DefaultName(table.Table)} WHERE {table.Column} < @before", connection);
        command.Parameters.AddWithValue("before", before.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Migration SQL turning the plain table <paramref name="table"/> into a day-partitioned one without losing a row: the
    /// old table is renamed, the partitioned one created like it (defaults, checks, identity), a partition made for every day
    /// the old table holds, the rows copied (<paramref name="selectList"/> in the new table's column order; every column by
    /// default), the identity sequence moved past the highest id, the old table dropped, and then
    /// <paramref name="keysAndIndexes"/> run (keys and indexes must name the partition column).
    /// </summary>
    public static string ConvertSql(TimeSeriesTable table, string keysAndIndexes, string? identityColumn = null, string selectList = "*", string? partitionBy = null)
    {
        var old = $"{table.Table}_unpartitioned";
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $$"""
            ALTER TABLE {{table.QualifiedName}} RENAME TO {{old}};
            CREATE TABLE {{table.QualifiedName}} (LIKE {{table.Schema}}.{{old}} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY INCLUDING GENERATED)
                PARTITION BY {{partitionBy ?? $"RANGE ({table.Column})"}};
            CREATE TABLE {{table.Schema}}.{{DefaultName(table.Table)}} PARTITION OF {{table.QualifiedName}} DEFAULT;
            DO $$
            DECLARE d date;
            BEGIN
                FOR d IN SELECT DISTINCT ({{table.Column}} AT TIME ZONE 'UTC')::date FROM {{table.Schema}}.{{old}} LOOP
                    EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                        '{{table.Schema}}', '{{table.Table}}_p' || to_char(d, 'YYYYMMDD'), '{{table.Schema}}', '{{table.Table}}',
                        d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
                END LOOP;
            END $$;
            INSERT INTO {{table.QualifiedName}} SELECT {{selectList}} FROM {{table.Schema}}.{{old}};

            """);
        if (identityColumn is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $"""
                SELECT setval(pg_get_serial_sequence('{table.QualifiedName}', '{identityColumn}'), GREATEST((SELECT max({identityColumn}) FROM {table.QualifiedName}), 1));

                """);
        }

        sql.Append(CultureInfo.InvariantCulture, $"""
            DROP TABLE {table.Schema}.{old};
            {keysAndIndexes}
            """);
        return sql.ToString();
    }

    private static (string From, string To) Bounds(DateOnly day) =>
        (day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00+00", day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00+00");
}
