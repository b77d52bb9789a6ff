using FluentValidation;
using HuiHui.Modules.Education.Contracts;
using HuiHui.Modules.Education.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Education.Features;

internal sealed class ListDocumentsValidator : AbstractValidator<ListDocuments>
{
    public ListDocumentsValidator() => RuleFor(q => q.Count).InclusiveBetween(1, 10_000);
}

internal sealed class GetDocumentValidator : AbstractValidator<GetDocument>
{
    public GetDocumentValidator() => RuleFor(q => q).Must(q => q.DocumentId is not null ^ q.ChunkId is not null).WithName("DocumentId").WithMessage("give a document id or a chunk id");
}

internal sealed class BrowseDocumentsHandlers(EducationDbContext db) : IQueryHandler<ListDocuments, IReadOnlyList<DocumentSummary>>, IQueryHandler<GetDocument, DocumentView?>
{
    public async ValueTask<IReadOnlyList<DocumentSummary>> Handle(ListDocuments query, CancellationToken cancellationToken) =>
        await db.Documents.AsNoTracking()
            .OrderByDescending(d => d.IngestedAt).ThenBy(d => d.Title)
            .Take(query.Count)
            .Select(d => new DocumentSummary(d.Id, d.Title, d.Uri, d.DocType, d.Tags, db.Chunks.Count(c => c.DocumentId == d.Id), d.SizeBytes, d.IngestedAt))
            .ToListAsync(cancellationToken);

    public async ValueTask<DocumentView?> Handle(GetDocument query, CancellationToken cancellationToken)
    {
        var documentId = query.DocumentId
            ?? await db.Chunks.AsNoTracking().Where(c => c.Id == query.ChunkId).Select(c => (Guid?)c.DocumentId).FirstOrDefaultAsync(cancellationToken);
        if (documentId is null)
        {
            return null;
        }

        var document = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return null;
        }

        var sections = await db.Chunks.AsNoTracking()
            .Where(c => c.DocumentId == document.Id)
            .OrderBy(c => c.Ordinal)
            .Select(c => new DocumentSection(c.Id, c.Location, c.Content))
            .ToListAsync(cancellationToken);
        return new DocumentView(
            new DocumentSummary(document.Id, document.Title, document.Uri, document.DocType, document.Tags, sections.Count, document.SizeBytes, document.IngestedAt),
            sections);
    }
}

internal sealed class UploadDocumentValidator : AbstractValidator<UploadDocument>
{
    public UploadDocumentValidator(IOptions<EducationOptions> options)
    {
        RuleFor(c => c.FileName).NotEmpty().MaximumLength(200)
            .Must(name => Path.GetFileName(name) == name && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && !name.StartsWith('.'))
            .WithMessage("must be a plain file name (no folders, no leading dot)");
        RuleFor(c => c.Content).NotNull().Must(c => c.Length > 0).WithMessage("the file is empty")
            .Must(c => c is null || c.LongLength <= options.Value.MaxFileBytes).WithMessage($"larger than the {options.Value.MaxFileBytes / (1024 * 1024)} MiB limit (HuiHui:Education:MaxFileBytes)");
    }
}

/// <summary>
/// Writes the upload beside the corpus (a new name when one exists with other content), ingests it, and deletes it
/// again when the corpus refuses it, so the recurring job does not trip over it every night.
/// </summary>
internal sealed class UploadDocumentHandler(IMediator mediator, IOptions<EducationOptions> options) : ICommandHandler<UploadDocument, IngestedFile>
{
    public async ValueTask<IngestedFile> Handle(UploadDocument command, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(options.Value.UploadFolder);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, command.FileName);
        var existed = File.Exists(path);
        if (existed && !(await File.ReadAllBytesAsync(path, cancellationToken)).AsSpan().SequenceEqual(command.Content))
        {
            path = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(command.FileName)}-{DateTime.UtcNow:yyyyMMddHHmmss}{Path.GetExtension(command.FileName)}");
            existed = false;
        }

        await File.WriteAllBytesAsync(path, command.Content, cancellationToken);
        var report = await mediator.Send(new IngestDocuments([path], command.Tags), cancellationToken);
        var file = report.Files.Single();
        if (file.Outcome == "skipped" && !existed)
        {
            File.Delete(path);
        }

        return file;
    }
}
