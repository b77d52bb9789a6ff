using Npgsql;

namespace HuiHui.Tests.Infrastructure;

/// <summary>Reads the suite's database directly, to check what the product stored.</summary>
internal static class Sql
{
    public static Task<T> ScalarAsync<T>(string sql, params object[] parameters) => ScalarOnAsync<T>(Testing.ConnectionString, sql, parameters);

    /// <summary>On another database than the suite's (a test's own).</summary>
    public static async Task<T> ScalarOnAsync<T>(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Testing.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static Task<long> OpenAlertsAsync(string source, string code) => OpenAlertsOnAsync(Testing.ConnectionString, source, code);

    public static Task<long> OpenAlertsOnAsync(string connectionString, string source, string code) =>
        ScalarOnAsync<long>(connectionString, "SELECT count(*) FROM system_health.alerts WHERE source = $1 AND code = $2 AND resolved_at IS NULL", source, code);
}
