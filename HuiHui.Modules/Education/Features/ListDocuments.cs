using FluentValidation;
using HuiHui.Modules.Education.Contracts;
using HuiHui.Modules.Education.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Education.Features;

internal sealed class ListDocumentsValidator : AbstractValidator<ListDocuments>
{
    public ListDocumentsValidator() => RuleFor(q => q.Count).InclusiveBetween(1, 10_000);
}

internal sealed class ListDocumentsHandler(EducationDbContext db) : IQueryHandler<ListDocuments, IReadOnlyList<DocumentSummary>>
{
    public async ValueTask<IReadOnlyList<DocumentSummary>> Handle(ListDocuments query, CancellationToken cancellationToken) =>
        await db.Documents.AsNoTracking()
            .OrderByDescending(d => d.IngestedAt).ThenBy(d => d.Title)
            .Take(query.Count)
            .Select(d => new DocumentSummary(d.Id, d.Title, d.Uri, d.DocType, d.Tags, db.Chunks.Count(c => c.DocumentId == d.Id), d.SizeBytes, d.IngestedAt))
            .ToListAsync(cancellationToken);
}
