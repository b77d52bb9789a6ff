using HuiHui.Modules.Education;
using HuiHui.Modules.Education.Contracts;
using HuiHui.Modules.Education.Embeddings;
using HuiHui.Tests.Cache;
using HuiHui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HuiHui.Tests.Education;

/// <summary>Embedding cost under control: unchanged chunks keep their vectors, queries are cached, progress is reported.</summary>
public sealed class IngestProgressTests : DatabaseTest
{
    [Test]
    public async Task AnEditedDocument_ReembedsOnlyItsChangedChunks_AndTheProgressSaysSo()
    {
        var folder = CacheHarness.NewFolder();
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "notes.md");
        string Section(string title, string word) => $"## {title}\n\n" + string.Join(" ", Enumerable.Repeat($"The {word} paragraph says something about options and hedging.", 15)) + "\n\n";
        await File.WriteAllTextAsync(file, "# Notes\n\n" + Section("One", "first") + Section("Two", "second") + Section("Three", "third"));
        await using var services = ModuleServices.Build(new Dictionary<string, string?>());
        await using var scope = services.Provider.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        var first = await mediator.Send(new IngestDocuments([folder]));
        var afterFirst = await mediator.Send(new GetIngestProgress());
        await File.WriteAllTextAsync(file, "# Notes\n\n" + Section("One", "first") + Section("Two", "changed") + Section("Three", "third"));
        var second = await mediator.Send(new IngestDocuments([folder]));
        var afterSecond = await mediator.Send(new GetIngestProgress());

        Assert.That(first.Files.Single().Chunks, Is.EqualTo(3));
        Assert.That((afterFirst.Running, afterFirst.Files, afterFirst.FilesDone, afterFirst.ChunksEmbedded, afterFirst.ChunksReused), Is.EqualTo((false, 1, 1, 3L, 0L)));
        Assert.That(second.Files.Single().Outcome, Is.EqualTo("replaced"));
        Assert.That((afterSecond.ChunksEmbedded, afterSecond.ChunksReused), Is.EqualTo((3L, 2L)), "two of three chunks kept their vectors");
        Assert.That(afterSecond.FinishedAt, Is.Not.Null);
        Assert.That(afterSecond.Model, Is.EqualTo(Testing.EmbeddingModel));
    }

    [Test]
    public async Task AQuerysVector_IsCachedForRepeats()
    {
        using var model = new EmbeddingModel(Options.Create(new EducationOptions { Embeddings = new EmbeddingOptions { Model = Testing.EmbeddingModel } }));

        var once = await model.EmbedQueryAsync("where does dealer gamma flip", CancellationToken.None);
        var again = await model.EmbedQueryAsync("where does dealer gamma flip", CancellationToken.None);

        Assert.That(again, Is.SameAs(once));
    }

    [Test]
    public async Task TheLocalModel_IsLetGoWhenIdle_AndLoadsAgainForTheNextNewQuestion()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = new EmbeddingOptions { GraphCachePath = Path.Combine(CacheHarness.NewFolder(), "models"), IdleRelease = TimeSpan.FromMinutes(10) };
        using var model = new EmbeddingModel(Options.Create(new EducationOptions { Embeddings = settings }), time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<EmbeddingModel>.Instance);

        var loadedBeforeUse = model.IsLoaded;
        var first = await model.EmbedQueryAsync("where does dealer gamma flip", CancellationToken.None);
        var loadedAfterUse = model.IsLoaded;
        time.Advance(TimeSpan.FromMinutes(5));
        var keptWhileRecent = model.IsLoaded;
        time.Advance(TimeSpan.FromMinutes(6));
        var keptWhenIdle = model.IsLoaded;
        var repeat = await model.EmbedQueryAsync("where does dealer gamma flip", CancellationToken.None);
        var loadedForARepeat = model.IsLoaded;
        var other = await model.EmbedQueryAsync("what is a call wall", CancellationToken.None);

        Assert.That((loadedBeforeUse, loadedAfterUse, keptWhileRecent, keptWhenIdle, loadedForARepeat), Is.EqualTo((false, true, true, false, false)),
            "loaded on first use, let go after 10 idle minutes, not loaded for a question whose vector is cached");
        Assert.That(repeat, Is.SameAs(first));
        Assert.That(model.IsLoaded, Is.True, "a new question loads it again");
        Assert.That(other, Has.Length.EqualTo(SentenceEmbeddingGenerator.Dimension));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void AnUnknownLocalModel_IsRefusedByName()
    {
        Assert.That(() => new EmbeddingModel(Options.Create(new EducationOptions { Embeddings = new EmbeddingOptions { Model = "bge-large" } })),
            Throws.TypeOf<OptionsValidationException>().With.Message.Contains("'bge-large' is not a local model").And.Message.Contains("Endpoint"));
    }
}
