using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using HuiHui.Modules.Education;
using HuiHui.Modules.Education.Contracts;
using HuiHui.Modules.Education.Data;
using HuiHui.Modules.Education.Embeddings;
using HuiHui.Modules.Education.Features;
using HuiHui.Modules.Education.Search;
using HuiHui.Modules.Shared.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace HuiHui.Benchmarks;

/// <summary>
/// Education targets (issue 7): ingest 1,000 Markdown documents (~10 MB) ≤ 30 s; query latency over 100,000 chunks,
/// p95 ≤ 20 ms (one query per iteration, so the iteration statistics are per-query latencies).
/// Needs PostgreSQL (<c>ConnectionStrings__Postgres</c>); uses a database <c>huihui_bench_education</c>.
/// </summary>
public abstract class EducationBenchmarkBase
{
    private static readonly string[] Vocabulary =
        ("gamma exposure dealers hedge call wall put wall max pain expiry strike implied volatility skew term structure contango backwardation " +
         "realised volatility parkinson close flow premium block sweep aggressor delta vanna charm regime uptrend downtrend range squeeze " +
         "iron condor calendar spread straddle credit debit theta vega rho conviction bias narrative citation corpus index options market").Split(' ');

    protected static readonly string[] Queries =
        ["where dealers flip from long to short gamma", "iron condor between the walls", "term structure backwardation stress", "max pain into expiry",
         "aggressor signed premium flow", "realised volatility parkinson estimator", "calendar spread theta", "squeeze calls over puts"];

    protected ServiceProvider Services { get; private set; } = null!;

    /// <summary>
    /// The embedding model: the local sentence model with int8 weights (the default), with float weights, or the hashed one;
    /// <c>HUIHUI_BENCH_MODELS</c> (comma-separated ids) runs only some of them.
    /// </summary>
    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = SentenceEmbeddingGenerator.Int8ModelId;

    public static IEnumerable<string> Models() =>
        Environment.GetEnvironmentVariable("HUIHUI_BENCH_MODELS") is { Length: > 0 } chosen
            ? chosen.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [SentenceEmbeddingGenerator.Int8ModelId, SentenceEmbeddingGenerator.ModelId, HashedNgramEmbeddingGenerator.ModelId];

    [GlobalCleanup]
    public void Cleanup() => Services.Dispose();

    protected void Setup()
    {
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? throw new InvalidOperationException("set ConnectionStrings__Postgres");
        using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            admin.Open();
            using var create = new NpgsqlCommand("DROP DATABASE IF EXISTS huihui_bench_education WITH (FORCE); CREATE DATABASE huihui_bench_education", admin);
            create.ExecuteNonQuery();
        }

        var connection = new NpgsqlConnectionStringBuilder(server) { Database = "huihui_bench_education" }.ConnectionString;
        var collection = new ServiceCollection().AddLogging();
        collection.AddSingleton(NpgsqlDataSource.Create(connection));
        collection.AddDbContext<EducationDbContext>((p, o) => PersistenceRegistration.ConfigureNpgsql(o, p.GetRequiredService<NpgsqlDataSource>(), EducationDbContext.Schema));
        collection.AddSingleton<VectorIndex>();
        collection.AddSingleton<HuiHui.Modules.Education.Embeddings.EmbeddingModel>();
        collection.AddSingleton(TimeProvider.System);
        collection.AddOptions<EducationOptions>().Configure(o => o.Embeddings.Model = Model);
        collection.AddSingleton<IngestProgress>();
        Services = collection.BuildServiceProvider();
        using var scope = Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<EducationDbContext>().Database.Migrate();
    }

    protected void Execute(string sql)
    {
        using var command = Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    protected static Guid DocumentId(int d) => new(d, 0, 0, new byte[8]);

    protected static string Document(Random random, int d, int sections, int paragraphsPerSection)
    {
        var text = new StringBuilder($"# Document {d}\n\n");
        for (var s = 0; s < sections; s++)
        {
            text.Append("## Section ").Append(s).Append("\n\n");
            for (var p = 0; p < paragraphsPerSection; p++)
            {
                text.Append(Paragraph(random, 60)).Append("\n\n");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// English-like text: words drawn from a Zipf distribution (s = 1) over 20,000 pseudo-words, one word in ten from the
    /// options vocabulary — so, as in real prose, common words are everywhere and any given term is in a few percent of chunks.
    /// </summary>
    protected static string Paragraph(Random random, int words)
    {
        var text = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            text.Append(random.Next(10) == 0 ? Vocabulary[random.Next(Vocabulary.Length)] : Lexicon[Zipf(random)]).Append(' ');
        }

        return text.ToString().TrimEnd() + ".";
    }

    private static readonly string[] Lexicon = Enumerable.Range(0, 20_000).Select(PseudoWord).ToArray();

    private static readonly double[] ZipfCumulative = BuildZipf(20_000);

    private static int Zipf(Random random)
    {
        var index = Array.BinarySearch(ZipfCumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, ZipfCumulative.Length - 1);
    }

    private static double[] BuildZipf(int n)
    {
        var cumulative = new double[n];
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += 1.0 / (i + 1);
            cumulative[i] = sum;
        }

        for (var i = 0; i < n; i++)
        {
            cumulative[i] /= sum;
        }

        return cumulative;
    }

    private static string PseudoWord(int i)
    {
        const string consonants = "bcdfghklmnprstvz";
        const string vowels = "aeiou";
        var word = new StringBuilder();
        var x = i + 7;
        do
        {
            word.Append(consonants[x % consonants.Length]).Append(vowels[x / consonants.Length % vowels.Length]);
            x /= consonants.Length * vowels.Length;
        }
        while (x > 0);
        return word.ToString();
    }
}

/// <summary>Ingest 1,000 Markdown documents (~10 MB) into an empty corpus; target ≤ 30 s.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3, invocationCount: 1)]
public class EducationIngestBenchmarks : EducationBenchmarkBase
{
    private string folder = "";

    [GlobalSetup]
    public void SetupIngest()
    {
        Setup();
        folder = Path.Combine(Path.GetTempPath(), "huihui-bench-corpus");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, true);
        }

        Directory.CreateDirectory(folder);
        var random = new Random(3);
        long bytes = 0;
        for (var d = 0; d < 1000; d++)
        {
            var text = Document(random, d, sections: 6, paragraphsPerSection: 6);
            File.WriteAllText(Path.Combine(folder, $"doc-{d:D4}.md"), text);
            bytes += text.Length;
        }

        Console.WriteLine($"// 1,000 documents, {bytes / 1024 / 1024.0:0.0} MB");
    }

    [IterationSetup]
    public void Empty() => Execute("TRUNCATE education.documents CASCADE");

    [Benchmark(Description = "ingest 1,000 Markdown documents")]
    public int Ingest1000MarkdownDocuments()
    {
        using var scope = Services.CreateScope();
        var handler = ActivatorUtilities.CreateInstance<IngestDocumentsHandler>(scope.ServiceProvider);
        var report = handler.Handle(new IngestDocuments([folder]), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return report.Count("added") == 1000 ? 1000 : throw new InvalidOperationException($"added {report.Count("added")}");
    }
}

/// <summary>
/// One hybrid query per iteration over 100,000 chunks; target p95 ≤ 20 ms. Latency of a running hub: 200 warm-up
/// queries first, by which time the JIT's tiered compilation has settled (before it, queries measured ~1.6× slower).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 200, iterationCount: 200, invocationCount: 1)]
[AllStatisticsColumn]
[Config(typeof(PercentileColumns))]
public class EducationQueryBenchmarks : EducationBenchmarkBase
{
    /// <summary>p90 and p95 of the per-query latencies.</summary>
    private sealed class PercentileColumns : BenchmarkDotNet.Configs.ManualConfig
    {
        public PercentileColumns() => AddColumn(BenchmarkDotNet.Columns.StatisticColumn.P90, BenchmarkDotNet.Columns.StatisticColumn.P95);
    }

    private int query;

    [GlobalSetup]
    public void SetupQuery()
    {
        Setup();
        Execute("TRUNCATE education.documents CASCADE");
        var random = new Random(5);
        var dataSource = Services.GetRequiredService<NpgsqlDataSource>();
        using var connection = dataSource.OpenConnection();
        using (var documents = connection.BeginBinaryImport("COPY education.documents (id, uri, title, doc_type, content_hash, size_bytes, tags, ingested_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var d = 0; d < 1000; d++)
            {
                documents.StartRow();
                documents.Write(DocumentId(d), NpgsqlDbType.Uuid);
                documents.Write($"/bench/doc-{d}.md", NpgsqlDbType.Text);
                documents.Write($"Bench document {d}", NpgsqlDbType.Text);
                documents.Write("Markdown", NpgsqlDbType.Varchar);
                documents.Write($"{d:x64}", NpgsqlDbType.Varchar);
                documents.Write(10_000L, NpgsqlDbType.Bigint);
                documents.Write(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                documents.Write(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
                documents.Write(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
            }

            documents.Complete();
        }

        var chunks = new List<(Guid Id, string Text)>(100_000);
        using (var copy = connection.BeginBinaryImport("COPY education.chunks (id, document_id, ordinal, heading, location, content, token_count) FROM STDIN (FORMAT BINARY)"))
        {
            for (var c = 0; c < 100_000; c++)
            {
                var id = Guid.CreateVersion7();
                var text = Paragraph(random, 60);
                chunks.Add((id, text));
                copy.StartRow();
                copy.Write(id, NpgsqlDbType.Uuid);
                copy.Write(DocumentId(c / 100), NpgsqlDbType.Uuid);
                copy.Write(c % 100, NpgsqlDbType.Integer);
                copy.Write($"Section {c % 7}", NpgsqlDbType.Text);
                copy.Write($"line {c % 100}", NpgsqlDbType.Text);
                copy.Write(text, NpgsqlDbType.Text);
                copy.Write(60, NpgsqlDbType.Integer);
            }

            copy.Complete();
        }

        // The hashed model embeds every chunk. Embedding 100,000 chunks with the sentence model would take tens of minutes here, so
        // 2,000 distinct paragraphs are embedded and each chunk takes one of them with a little noise (renormalised): dense
        // vectors like the model's, which is what the scan's cost depends on.
        var model = Services.GetRequiredService<EmbeddingModel>();
        var basis = model.ModelId == HashedNgramEmbeddingGenerator.ModelId
            ? null
            : model.EmbedAsync([.. Enumerable.Range(0, 2000).Select(_ => Paragraph(random, 60))], CancellationToken.None).GetAwaiter().GetResult();
        using (var copy = connection.BeginBinaryImport("COPY education.embeddings (chunk_id, model_id, dimension, vector) FROM STDIN (FORMAT BINARY)"))
        {
            for (var c = 0; c < chunks.Count; c++)
            {
                var (id, text) = chunks[c];
                copy.StartRow();
                copy.Write(id, NpgsqlDbType.Uuid);
                copy.Write(model.ModelId, NpgsqlDbType.Varchar);
                copy.Write(384, NpgsqlDbType.Integer);
                copy.Write(basis is null ? HashedNgramEmbeddingGenerator.Embed(text) : Perturbed(basis[c % basis.Length], random), NpgsqlDbType.Array | NpgsqlDbType.Real);
            }

            copy.Complete();
        }

        Execute($"SELECT gin_clean_pending_list('{EducationDbContext.SearchIndex}'::regclass)"); // as an ingest does after its batch
        Execute("ANALYZE education.chunks");
        Console.WriteLine("// 100,000 chunks with embeddings");
        QueryOver100000Chunks(); // load the vector index
    }

    /// <summary>
    /// Each query is new text (a number after the words), so its embedding is computed every time, never served from the
    /// query cache: the figure includes the query embedding.
    /// </summary>
    [Benchmark(Description = "hybrid query over 100,000 chunks, query embedding included")]
    public int QueryOver100000Chunks()
    {
        using var scope = Services.CreateScope();
        var handler = ActivatorUtilities.CreateInstance<SearchDocumentsHandler>(scope.ServiceProvider);
        var text = $"{Queries[query % Queries.Length]} {query++}";
        return handler.Handle(new SearchDocuments(text, 5), CancellationToken.None).AsTask().GetAwaiter().GetResult().Passages.Count;
    }

    private static float[] Perturbed(float[] vector, Random random)
    {
        var copy = new float[vector.Length];
        double norm = 0;
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = vector[i] + (float)((random.NextDouble() - 0.5) * 0.02);
            norm += copy[i] * copy[i];
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] *= scale;
        }

        return copy;
    }
}
