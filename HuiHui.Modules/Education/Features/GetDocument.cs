using FluentValidation;
using HuiHui.Modules.Education.Contracts;
using HuiHui.Modules.Education.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Education.Features;

internal sealed class GetDocumentValidator : AbstractValidator<GetDocument>
{
    public GetDocumentValidator() => RuleFor(q => q).Must(q => q.DocumentId is not null ^ q.ChunkId is not null).WithName("DocumentId").WithMessage("give a document id or a chunk id");
}

internal sealed class GetDocumentHandler(EducationDbContext db) : IQueryHandler<GetDocument, DocumentView?>
{
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
