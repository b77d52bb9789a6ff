using System.Text.Json;
using HuiHui.Modules.Education.Contracts;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using HuiHui.Tests.Ingestion;
using Mediator;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Education;

/// <summary>An OpenAI-compatible embedding endpoint (what Ollama serves) on 127.0.0.1, and switching models.</summary>
public sealed class EmbeddingEndpointTests : DatabaseTest
{
    [Test]
    public async Task ConfiguredEndpoint_EmbedsTheChunks_AndChangingTheModelReembeds()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Handler = async context =>
        {
            using var request = await JsonDocument.ParseAsync(context.Request.Body);
            var inputs = request.RootElement.GetProperty("input").EnumerateArray().Select(i => i.GetString()!).ToList();
            var base64 = request.RootElement.TryGetProperty("encoding_format", out var format) && format.GetString() == "base64";
            var data = inputs.Select((text, index) =>
            {
                var vector = new float[8];
                foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    vector[Math.Abs(word.GetHashCode(StringComparison.OrdinalIgnoreCase)) % 8] += 1;
                }

                object embedding = base64 ? Convert.ToBase64String(vector.SelectMany(BitConverter.GetBytes).ToArray()) : vector;
                return new Dictionary<string, object> { ["object"] = "embedding", ["index"] = index, ["embedding"] = embedding };
            }).ToList();
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { @object = "list", data, model = "fake-embed", usage = new { prompt_tokens = 10, total_tokens = 10 } }));
        };
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "doc.md"), "# Doc\n\nThe gamma flip is where dealer gamma changes sign.\n");
        Dictionary<string, string?> Settings(bool remote) => new()
        {
            ["HuiHui:Cache:DiskPath"] = CacheHarness.NewFolder(),
            ["HuiHui:Education:Embeddings:Endpoint"] = remote ? new Uri(server.BaseUrl, "v1").ToString() : null,
            ["HuiHui:Education:Embeddings:Model"] = remote ? "fake-embed" : Testing.EmbeddingModel,
        };

        async Task<IngestReport> IngestAsync(ModuleServices services)
        {
            await using var scope = services.Provider.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new IngestDocuments([folder]));
        }

        await using (var remote = ModuleServices.BuildOnSystemClock(Settings(true)))
        {
            Assert.That((await IngestAsync(remote)).Files.Single().Outcome, Is.EqualTo("added"));
            Assert.That((await IngestAsync(remote)).Files.Single().Outcome, Is.EqualTo("unchanged"));
            await using var scope = remote.Provider.CreateAsyncScope();
            var found = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SearchDocuments("gamma flip", 1));
            Assert.That(found.Passages.Single().Title, Is.EqualTo("Doc"));
        }

        Assert.That(await Sql.ScalarAsync<string>("SELECT string_agg(DISTINCT model_id || ':' || dimension, ',') FROM education.embeddings"), Is.EqualTo("fake-embed:8"));
        Assert.That(server.Requests.Count(r => r.Path.EndsWith("/v1/embeddings", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2), "chunks and the query");

        await using (var local = ModuleServices.BuildOnSystemClock(Settings(false)))
        {
            Assert.That((await IngestAsync(local)).Files.Single().Outcome, Is.EqualTo("replaced"), "same file, new model: re-embedded");
        }

        Assert.That(await Sql.ScalarAsync<string>("SELECT string_agg(DISTINCT model_id || ':' || dimension, ',') FROM education.embeddings"), Is.EqualTo("huihui-hashed-ngram-384-v1:384"));
    }
}
