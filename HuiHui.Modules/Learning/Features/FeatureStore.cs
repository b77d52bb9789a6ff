using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Shared.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace HuiHui.Modules.Learning.Features;

/// <summary>
/// Writes feature vectors in batches (binary COPY into staging, insert on conflict do nothing: one vector per symbol,
/// as-of and schema) through the persistence kit's <see cref="SpooledBatchWriter{T}"/>: queued without waiting (50,000
/// at most), spooled while PostgreSQL cannot be reached.
/// </summary>
internal sealed class FeatureWriter(NpgsqlDataSource dataSource, IServiceScopeFactory scopes, IOptions<SpoolOptions> spool, TimeProvider time, ILogger<FeatureWriter> logger)
    : SpooledBatchWriter<FeatureVectorRecord>(
        new SpoolSettings("feature-vectors", "learning", spool.Value.SpoolPath, spool.Value.SpoolMaxBytes, 50_000, 2000, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)),
        SpoolJson.For<FeatureVectorRecord>, scopes, time, logger)
{
    /// <summary>Writes <paramref name="batch"/> now, in the caller (the first-run fill waits for its vectors before labelling them).</summary>
    public Task WriteNowAsync(List<FeatureVectorRecord> batch, CancellationToken cancellationToken) => WriteAsync(batch, cancellationToken);

    protected override async Task WriteAsync(List<FeatureVectorRecord> batch, CancellationToken cancellationToken)
    {
        const string Table = "training.feature_vectors";
        const string Columns = "symbol, as_of, schema_version, \"values\", regime, created_at";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await DailyPartitions.EnsureAsync(connection, LearningDbContext.Features, batch.Select(v => v.AsOf), cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await StagedCopy.StageAsync(connection, Table, Columns, batch, async (copy, v, token) =>
        {
            await copy.WriteAsync(v.Symbol, NpgsqlDbType.Varchar, token);
            await copy.WriteAsync(v.AsOf, NpgsqlDbType.TimestampTz, token);
            await copy.WriteAsync(v.SchemaVersion, NpgsqlDbType.Integer, token);
            await copy.WriteAsync(v.Values, NpgsqlDbType.Array | NpgsqlDbType.Real, token);
            if (v.Regime is null)
            {
                await copy.WriteNullAsync(token);
            }
            else
            {
                await copy.WriteAsync(v.Regime, NpgsqlDbType.Varchar, token);
            }

            await copy.WriteAsync(v.CreatedAt, NpgsqlDbType.TimestampTz, token);
        }, cancellationToken, definition: "symbol varchar(16), as_of timestamptz, schema_version int, \"values\" real[], regime varchar(32), created_at timestamptz");
        await StagedCopy.InsertNewAsync(connection, Table, Columns, "symbol, as_of, schema_version", cancellationToken, newestFirst: "created_at DESC");
        await transaction.CommitAsync(cancellationToken);
    }
}
