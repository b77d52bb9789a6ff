using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HuiHui.Tests.Infrastructure;

/// <summary>
/// The real host against a given database. Migrations on start and the Hangfire server are off by default:
/// the fixture migrates once, and tests that need jobs turn the server on.
/// </summary>
internal sealed class HuiHuiFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Postgres", connectionString);
        builder.UseSetting("HuiHui:Database:MigrateOnStartup", "false");
        builder.UseSetting("HuiHui:Jobs:RunServer", "false");
        // Never the hub's own port: a test with Kestrel gets a free loopback port.
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        builder.UseSetting("HuiHui:Cache:DiskPath", Cache.CacheHarness.NewFolder());
        builder.UseSetting("HuiHui:Ingestion:Enabled", "false");
        builder.UseSetting("HuiHui:Monitoring:Compliance:Enabled", "false");
        builder.UseSetting("HuiHui:Education:IngestOnFirstStart", "false");
        builder.UseSetting("HuiHui:Learning:FillOnFirstStart", "false");
        // The suite's searches run on the fast hashed model; the local sentence model (the product's default) has its own
        // tests (Education/SentenceModelTests), which load it once.
        builder.UseSetting("HuiHui:Education:Embeddings:Model", Testing.EmbeddingModel);
        // The shared host sees model changes at once: a model trained by one test is gone for the next after the reset.
        builder.UseSetting("HuiHui:Learning:ModelCheckInterval", "00:00:00");
        builder.UseSetting("HuiHui:Education:UploadFolder", Path.Combine(Cache.CacheHarness.NewFolder(), "uploads"));
        builder.UseSetting("HuiHui:Ingestion:SpoolPath", Path.Combine(Cache.CacheHarness.NewFolder(), "spool"));
        builder.UseSetting("HuiHui:Persistence:SpoolPath", Path.Combine(Cache.CacheHarness.NewFolder(), "writers"));
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
