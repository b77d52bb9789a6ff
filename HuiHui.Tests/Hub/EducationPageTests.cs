using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HuiHui.Modules.Education.Contracts;
using HuiHui.Tests.Infrastructure;

namespace HuiHui.Tests.Hub;

/// <summary>The hub's Education page: search with highlights, a document by id or passage, uploads (admins only).</summary>
public sealed class EducationPageTests : DatabaseTest
{
    private string folder = "";

    [SetUp]
    public async Task CreateUsersAndFolder()
    {
        await HubAccounts.EnsureUsersAsync(Testing.Factory.Services);
        folder = Cache.CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
    }

    [Test]
    public async Task Education_WithEmptyCorpus_SaysHowToFillIt()
    {
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        var page = await client.GetStringAsync("/Education");

        Assert.That(page, Does.Contain("data-testid=\"education-empty\"").And.Contain("ingest-docs"));
        Assert.That(page, Does.Not.Contain("data-testid=\"education-upload\""), "analysts do not upload");
    }

    [Test]
    public async Task Search_ShowsHighlightedPassages_KeepsTheDocumentsOwnMarkupAsText_AndOpensThePassage()
    {
        var path = Path.Combine(folder, "walls.md");
        await File.WriteAllTextAsync(path, "# Gamma walls\n\nThe call wall caps rallies when dealers are long gamma. <script>alert(1)</script>\n\n## Put wall\n\nThe put wall is support.\n");
        await Testing.SendAsync(new IngestDocuments([path]));
        using var client = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        var page = await client.GetStringAsync("/Education?q=call+wall");
        var chunk = System.Text.RegularExpressions.Regex.Match(page, "/Education/Document\\?chunk=([0-9a-f-]{36})").Groups[1].Value;
        var document = await client.GetStringAsync($"/Education/Document?chunk={chunk}");
        using var missing = await client.GetAsync($"/Education/Document?id={Guid.NewGuid()}");

        Assert.That(page, Does.Contain("data-testid=\"education-results\"").And.Contain("<mark>call</mark>").And.Contain("<mark>wall</mark>"));
        Assert.That(page, Does.Not.Contain("<script>alert(1)</script>"));
        Assert.That(document, Does.Contain("data-testid=\"document-title\"").And.Contain("Gamma walls").And.Contain("passage hit"));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Upload_ByAdmin_IngestsAGoodFileAndRefusesABadOneWithTheReason_AnalystsAreForbidden()
    {
        using var admin = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AdminEmail);
        using var analyst = await HubAccounts.ClientAsync(Testing.Factory, HubAccounts.AnalystEmail);

        var good = await UploadAsync(admin, "iron-condor.md", Encoding.UTF8.GetBytes("# Iron condor\n\nSell a call spread and a put spread around a range-bound market.\n"));
        var bad = await UploadAsync(admin, "broken.pdf", Encoding.UTF8.GetBytes("this is not a PDF at all"));
        using var refused = await UploadResponseAsync(analyst, "sneaky.md", Encoding.UTF8.GetBytes("# Sneaky\n\ntext\n"));
        var documents = await Testing.SendAsync(new ListDocuments());

        var adminPage = await admin.GetStringAsync("/Education");
        var analystPage = await analyst.GetStringAsync("/Education");
        Assert.That(adminPage, Does.Contain("data-testid=\"education-progress\"").And.Contain("Finished").And.Contain(Testing.EmbeddingModel),
            "admins see the last ingest's progress (the upload's)");
        Assert.That(analystPage, Does.Not.Contain("data-testid=\"education-progress\""));
        Assert.That(good, Does.Contain("iron-condor.md: added"));
        Assert.That(bad, Does.Contain("broken.pdf was not added:"));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(documents.Select(d => d.Title), Is.EqualTo(new[] { "Iron condor" }));
    }

    private static async Task<string> UploadAsync(HttpClient client, string name, byte[] content)
    {
        using var response = await UploadResponseAsync(client, name, content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        return await client.GetStringAsync("/Education");
    }

    private static async Task<HttpResponseMessage> UploadResponseAsync(HttpClient client, string name, byte[] content)
    {
        var token = await HubAccounts.AntiforgeryTokenAsync(client, "/Education");
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        form.Add(new StringContent("uploaded"), "tags");
        form.Add(new StringContent(token), "__RequestVerificationToken");
        return await client.PostAsync("/Education?handler=Upload", form);
    }
}
