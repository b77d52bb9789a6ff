using FluentValidation;
using HuiHui.Modules.Learning.Contracts;
using HuiHui.Modules.Learning.Data;
using HuiHui.Modules.Learning.Models;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace HuiHui.Modules.Learning.Features;

internal sealed class GetCheckpointsValidator : AbstractValidator<GetCheckpoints>
{
    public GetCheckpointsValidator() => RuleFor(q => q.Count).InclusiveBetween(1, 1000);
}

internal sealed class GetCheckpointsHandler(LearningDbContext db) : IQueryHandler<GetCheckpoints, IReadOnlyList<CheckpointInfo>>
{
    public async ValueTask<IReadOnlyList<CheckpointInfo>> Handle(GetCheckpoints query, CancellationToken cancellationToken)
    {
        var rows = await db.ModelCheckpoints.AsNoTracking()
            .Where(c => query.Kind == null || c.Kind == query.Kind)
            .OrderByDescending(c => c.CreatedAt).Take(query.Count)
            .Select(c => new { Record = new ModelCheckpointRecord { Id = c.Id, Kind = c.Kind, Status = c.Status, Metrics = c.Metrics, FeatureSchemaVersion = c.FeatureSchemaVersion, Reason = c.Reason, CreatedAt = c.CreatedAt, PromotedAt = c.PromotedAt }, Size = c.Model.Length })
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => Checkpoints.Info(r.Record, r.Size));
    }
}
