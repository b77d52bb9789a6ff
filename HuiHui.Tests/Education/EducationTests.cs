using System.Text;
using HuiHui.Modules.Education.Contracts;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace HuiHui.Tests.Education;

public sealed class EducationTests : DatabaseTest
{
    private static string NewFolder()
    {
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        return folder;
    }

    internal static byte[] Pdf(params string[] lines)
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var y = 750.0;
        foreach (var line in lines)
        {
            page.AddText(line, 12, new PdfPoint(40, y), font);
            y -= 20;
        }

        return builder.Build();
    }

    private static Task<IngestReport> IngestAsync(params string[] paths) => Testing.SendAsync(new IngestDocuments(paths));

    private static Task<SearchResults> SearchAsync(string query, int k = 5) => Testing.SendAsync(new SearchDocuments(query, k));

    [Test]
    public async Task EachFormat_IsIngestedAndFound()
    {
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "guide.md"), "# Zebra guide\n\nZebras hedge their gamma carefully.\n");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "Quokkas prefer calendar spreads.\n\nSecond paragraph.");
        File.WriteAllText(Path.Combine(folder, "page.html"), "<html><head><title>Walrus page</title></head><body><h1>Walrus</h1><p>Walruses sell iron condors.</p></body></html>");
        File.WriteAllText(Path.Combine(folder, "lab.ipynb"), """
            {"cells": [{"cell_type": "markdown", "source": ["# Narwhal notebook\n", "Narwhals compute max pain."]},
                       {"cell_type": "code", "source": ["narwhal_gex = gamma * oi * 100"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        File.WriteAllBytes(Path.Combine(folder, "paper.pdf"), Pdf("Pangolins study implied volatility skew.", "A second line about pangolins."));

        var report = await IngestAsync(folder);

        Assert.That(report.Files.Select(f => (Path.GetFileName(f.Path), f.Outcome)), Is.EquivalentTo(new[]
        {
            ("guide.md", "added"), ("notes.txt", "added"), ("page.html", "added"), ("lab.ipynb", "added"), ("paper.pdf", "added"),
        }));
        foreach (var (word, title, type) in new[]
        {
            ("zebras", "Zebra guide", DocumentType.Markdown), ("quokkas", "notes", DocumentType.Text), ("walruses", "Walrus page", DocumentType.Html),
            ("narwhal_gex", "Narwhal notebook", DocumentType.Notebook), ("pangolins", "paper", DocumentType.Pdf),
        })
        {
            var results = await Testing.SendAsync(new SearchDocuments(word, 1, Types: [type]));
            Assert.That(results.Passages.Single().Title, Is.EqualTo(title), word);
            Assert.That(results.Passages.Single().Snippet, Does.Contain("<mark>").IgnoreCase, word);
        }

        var pdf = (await SearchAsync("pangolins")).Passages[0];
        Assert.That(pdf.Location, Does.Contain("page 1"));
    }

    [Test]
    public async Task Filters_ApplyToBothHalves_SoEligiblePassagesAreFoundBehindBetterIneligibleOnes()
    {
        // Thirty Markdown chunks match every query word; three text files share only "zebra" with the query, so only the
        // vector half can find them. Filtered to text (or to the text files' tag) the search must return all three.
        var markdown = NewFolder();
        for (var i = 0; i < 30; i++)
        {
            File.WriteAllText(Path.Combine(markdown, $"guide-{i}.md"), $"# Guide {i}\n\nZebra stripes hedging number {i}.\n");
        }

        var text = NewFolder();
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllText(Path.Combine(text, $"notes-{i}.txt"), $"A zebra walks past the river bank, note {i}.");
        }

        await IngestAsync(markdown);
        await Testing.SendAsync(new IngestDocuments([text], Tags: ["Field-Notes"]));

        var unfiltered = await Testing.SendAsync(new SearchDocuments("zebra stripes hedging", 3));
        var byType = await Testing.SendAsync(new SearchDocuments("zebra stripes hedging", 3, Types: [DocumentType.Text]));
        var byTag = await Testing.SendAsync(new SearchDocuments("zebra stripes hedging", 3, Tags: ["field-notes"]));
        var nothing = await Testing.SendAsync(new SearchDocuments("zebra stripes hedging", 3, Tags: ["no-such-tag"]));

        Assert.That(unfiltered.Passages.Select(p => p.Title), Has.All.StartWith("Guide"));
        Assert.That(byType.Passages.Select(p => p.Title), Is.EquivalentTo(new[] { "notes-0", "notes-1", "notes-2" }));
        Assert.That(byTag.Passages.Select(p => p.Title), Is.EquivalentTo(new[] { "notes-0", "notes-1", "notes-2" }));
        Assert.That(nothing.Passages, Is.Empty);
        Assert.That((await Testing.SendAsync(new SearchDocuments("the and of", 3))).Passages, Is.Empty, "stop words only: nothing to find");
    }

    [Test]
    public async Task Chunks_NeverCrossAHeading()
    {
        var folder = NewFolder();
        var alpha = string.Join(" ", Enumerable.Repeat("alpha options gamma exposure text.", 90));
        var beta = string.Join(" ", Enumerable.Repeat("beta volatility skew words.", 90));
        File.WriteAllText(Path.Combine(folder, "two.md"), $"# Doc\n\n## Alpha section\n\n{alpha}\n\n{alpha}\n\n## Beta section\n\n{beta}\n");

        await IngestAsync(folder);

        var chunks = await Sql.ScalarAsync<string[]>("SELECT array_agg(heading || '|' || content ORDER BY ordinal) FROM education.chunks");
        Assert.That(chunks, Has.Length.GreaterThan(3), "long sections are split");
        foreach (var chunk in chunks)
        {
            var heading = chunk.Split('|')[0];
            var content = chunk[(heading.Length + 1)..];
            Assert.That(heading.EndsWith("Alpha section", StringComparison.Ordinal) ? !content.Contains("beta", StringComparison.Ordinal) : !content.Contains("alpha", StringComparison.Ordinal), Is.True, chunk[..60]);
            Assert.That(content.Split(' ', StringSplitOptions.RemoveEmptyEntries), Has.Length.LessThanOrEqualTo(220));
        }
    }

    [Test]
    public async Task Reingest_IsANoOpWhenUnchanged_AndReplacesChunksWhenChanged()
    {
        var folder = NewFolder();
        var file = Path.Combine(folder, "doc.md");
        File.WriteAllText(file, "# Doc\n\nThe original armadillo text.\n");

        var first = await IngestAsync(file);
        var second = await IngestAsync(file);
        File.WriteAllText(file, "# Doc\n\nThe revised aardvark text.\n");
        var third = await IngestAsync(file);

        Assert.That((first.Files[0].Outcome, second.Files[0].Outcome, third.Files[0].Outcome), Is.EqualTo(("added", "unchanged", "replaced")));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM education.documents"), Is.EqualTo(1));
        Assert.That((await SearchAsync("armadillo")).Passages.Where(p => p.Content.Contains("armadillo", StringComparison.Ordinal)), Is.Empty, "old chunks gone");
        Assert.That((await SearchAsync("aardvark")).Passages[0].Content, Does.Contain("aardvark"));
        Assert.That(await Sql.ScalarAsync<long>("SELECT count(*) FROM education.embeddings e LEFT JOIN education.chunks c ON c.id = e.chunk_id WHERE c.id IS NULL"), Is.Zero);
    }

    [Test]
    public async Task Ingest_LeavesNoPendingFullTextEntries_ForQueriesToScan()
    {
        var folder = NewFolder();
        for (var i = 0; i < 20; i++)
        {
            File.WriteAllText(Path.Combine(folder, $"doc-{i}.md"), $"# Doc {i}\n\n" + string.Join(' ', Enumerable.Range(0, 300).Select(w => $"term{i}x{w}")) + "\n");
        }

        var report = await IngestAsync(folder);

        Assert.That(report.Count("added"), Is.EqualTo(20));
        // Merging again finds nothing left: the ingest merged its entries (6,000 distinct terms would otherwise fill pages).
        Assert.That(await Sql.ScalarAsync<long>("SELECT gin_clean_pending_list('education.ix_chunks_search_vector'::regclass)"), Is.Zero);
    }

    [Test]
    public async Task BadFiles_AreSkippedWithAReason_AndNothingStoredIsLost()
    {
        var folder = NewFolder();
        var good = Path.Combine(folder, "good.md");
        File.WriteAllText(good, "# Good\n\nThe capybara passage.\n");
        await IngestAsync(good);

        var batch = NewFolder();
        File.WriteAllBytes(Path.Combine(batch, "corrupt.pdf"), Encoding.ASCII.GetBytes("%PDF-1.7 this is not really a pdf"));
        File.WriteAllBytes(Path.Combine(batch, "binary.md"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x02]);
        File.WriteAllText(Path.Combine(batch, "empty.txt"), "");
        using (var huge = new FileStream(Path.Combine(batch, "huge.txt"), FileMode.Create))
        {
            huge.SetLength(200L * 1024 * 1024); // sparse: 200 MB on paper, nothing on disk
        }

        File.WriteAllText(Path.Combine(batch, "fine.txt"), "A fine ocelot paragraph.");
        File.WriteAllBytes(good, Encoding.ASCII.GetBytes("\0\0\0 corrupted")); // the stored document's file goes bad

        var report = await IngestAsync(batch, Path.Combine(folder, "missing.md"), Path.Combine(folder, "no-such-folder"), good);

        var outcomes = report.Files.ToDictionary(f => Path.GetFileName(f.Path), f => (f.Outcome, f.Reason));
        Assert.That(outcomes["corrupt.pdf"].Reason, Does.StartWith("unreadable PDF"));
        Assert.That(outcomes["binary.md"].Reason, Does.Contain("binary content"));
        Assert.That(outcomes["empty.txt"].Reason, Is.EqualTo("empty file"));
        Assert.That(outcomes["huge.txt"].Reason, Does.StartWith("larger than 20 MB"));
        Assert.That(outcomes["missing.md"].Reason, Is.EqualTo("no such file or folder"));
        Assert.That(outcomes["no-such-folder"], Is.EqualTo(("skipped", (string?)"no such file or folder")), "not an 'unsupported type'");
        Assert.That(outcomes["good.md"], Is.EqualTo(("skipped", (string?)"binary content (NUL bytes) in a text format")));
        Assert.That(outcomes["fine.txt"].Outcome, Is.EqualTo("added"));
        Assert.That((await SearchAsync("capybara")).Passages[0].Content, Does.Contain("capybara"), "the earlier version stays searchable");
    }
}
