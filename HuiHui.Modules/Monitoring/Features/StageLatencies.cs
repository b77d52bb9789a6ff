using FluentValidation;
using HuiHui.Modules.Monitoring.Contracts;
using HuiHui.Modules.Shared.Contracts;
using HuiHui.Modules.Monitoring.Data;
using HuiHui.Modules.Shared.Persistence;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuiHui.Modules.Monitoring.Features;

internal sealed class RecordStageLatenciesValidator : AbstractValidator<RecordStageLatencies>
{
    public RecordStageLatenciesValidator()
    {
        RuleFor(c => c.Symbol).NotEmpty().MaximumLength(16);
        RuleForEach(c => c.Stages).ChildRules(stage =>
        {
            stage.RuleFor(s => s.Stage).NotEmpty().MaximumLength(32);
            stage.RuleFor(s => s.LatencyMs).GreaterThanOrEqualTo(0).Must(double.IsFinite);
        });
    }
}

internal sealed class RecordUsageValidator : AbstractValidator<RecordUsage>
{
    public RecordUsageValidator()
    {
        RuleFor(c => c.Kind).NotEmpty().MaximumLength(16);
        RuleFor(c => c.Name).NotEmpty().MaximumLength(64);
        RuleFor(c => c.Model).MaximumLength(128);
        RuleFor(c => c.LatencyMs).GreaterThanOrEqualTo(0).Must(double.IsFinite);
    }
}

internal sealed class RecordUsageHandler(StatsWriter writer) : ICommandHandler<RecordUsage>
{
    public ValueTask<Unit> Handle(RecordUsage command, CancellationToken cancellationToken)
    {
        writer.Enqueue(new UsageRecord
        {
            Kind = command.Kind,
            Name = command.Name,
            Model = command.Model,
            PromptTokens = command.PromptTokens,
            CompletionTokens = command.CompletionTokens,
            LatencyMs = command.LatencyMs,
            Success = command.Success,
            Error = command.Error,
            OccurredAt = command.OccurredAt,
        });
        return ValueTask.FromResult(Unit.Value);
    }
}

internal sealed class RecordStageLatenciesHandler(StatsWriter writer) : ICommandHandler<RecordStageLatencies>
{
    public ValueTask<Unit> Handle(RecordStageLatencies command, CancellationToken cancellationToken)
    {
        foreach (var stage in command.Stages)
        {
            writer.Enqueue(new OrchestratorStatRecord
            {
                CycleId = command.CycleId,
                Symbol = command.Symbol,
                Stage = stage.Stage,
                LatencyMs = stage.LatencyMs,
                ItemCount = stage.ItemCount,
                OccurredAt = command.OccurredAt,
            });
        }

        return ValueTask.FromResult(Unit.Value);
    }
}

/// <summary>
/// Writes stage latencies and usage records in batches (up to 1,000 rows, at least once a second); best effort, see
/// <see cref="BatchedWriter{T}"/>. EF assigns the identity ids, so a failed batch has them reset before its retry.
/// </summary>
internal sealed class StatsWriter(IServiceScopeFactory scopes, TimeProvider time, ILogger<StatsWriter> logger)
    : BatchedWriter<object>(10_000, 1000, TimeSpan.FromSeconds(1), time, logger)
{
    public void Enqueue(UsageRecord record) => base.Enqueue(record);

    public void Enqueue(OrchestratorStatRecord record) => base.Enqueue(record);

    protected override async Task WriteAsync(List<object> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MonitoringDbContext>();
        try
        {
            db.OrchestratorStats.AddRange(batch.OfType<OrchestratorStatRecord>());
            db.UsageRecords.AddRange(batch.OfType<UsageRecord>());
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            foreach (var record in batch)
            {
                switch (record)
                {
                    case OrchestratorStatRecord stat: stat.Id = 0; break;
                    case UsageRecord usage: usage.Id = 0; break;
                }
            }

            throw;
        }
    }
}
